"""Row ids typed by people or scripts: PostgreSQL's bigint holds at most 2**63 - 1, and a larger
number reaching a foreign-key lookup is a DataError (a 500), so such input means "no such row"."""

MAX_ID = 2**63 - 1


def id_or_none(raw: object) -> int | None:
    """The id in a query-string value, or None when it is empty, not a number or out of range."""
    text = str(raw or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None
