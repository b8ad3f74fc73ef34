"""The rectification fixtures, for the pages that show a list's 办理记录."""

from tests.rectification.conftest import campaign, ledger, problem_with_measure  # noqa: F401
