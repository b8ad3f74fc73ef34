"""Reading back the Word files the product writes."""

import io

from docx import Document


def docx_text(content: bytes) -> str:
    """Every word of a Word file: its paragraphs, then each table's cells row by row."""
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(lines)


def docx_table(content: bytes, index: int = 0) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in Document(io.BytesIO(content)).tables[index].rows]
