"""Blank nomination forms as Word files: rendered by the documents app (zuofeng/documents/docx.py)."""

from zuofeng.documents.docx import award_form_docx
from zuofeng.documents.fonts import set_run_font

__all__ = ["award_form_docx", "set_run_font"]
