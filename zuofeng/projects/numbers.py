"""How a target's number is written wherever it is shown or stored as text: 3, not 3.00; 0.5, not 0.50;
100, not 1E+2; "—" for a value not yet reported."""

from decimal import Decimal


def number_text(value) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value).quantize(Decimal('0.01')).normalize():f}"
