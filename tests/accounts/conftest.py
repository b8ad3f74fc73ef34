"""The rectification campaign fixture, for the home page's 找差整改 and 督查 cards."""

from tests.rectification.conftest import campaign  # noqa: F401
