from tests.rectification.conftest import campaign, ledger, problem_with_measure  # noqa: F401 - fixtures
