"""What a filled form is rendered from, and the fingerprint that tells a stored rendering is still true.

A nomination's Word or PDF form depends on the award's form definition, the unit's name, the
printed values of the nomination's fields, the opinion block, and the renderer itself (this
package's layout code, the HTML template, the font aliases, the python-docx and WeasyPrint
versions). The fingerprint is a SHA-256 over all of them: a stored file is served only while the
fingerprint of today's inputs equals the one it was rendered from, so a changed field, a new
opinion, a renamed unit or a new layout is never answered with an old file.
"""

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path

from zuofeng.documents.values import OpinionBlock, nomination_opinion, nomination_values

PACKAGE = Path(__file__).resolve().parent
RENDERER_FILES = ("docx.py", "pdf.py", "fit.py", "fonts.py", "templates/documents/form.html", "fontconfig/fonts.conf")


@dataclass(frozen=True)
class FormInputs:
    form: dict
    unit_name: str
    values: dict[str, list[str]]
    opinion: OpinionBlock | None

    def as_kwargs(self) -> dict:
        return {"unit_name": self.unit_name, "values": self.values, "opinion": self.opinion}


def nomination_inputs(nomination, *, masked: bool = False) -> FormInputs:
    return FormInputs(
        form=nomination.award.form,
        unit_name=nomination.unit.name,
        values=nomination_values(nomination, masked=masked),
        opinion=nomination_opinion(nomination),
    )


@cache
def renderer_version() -> str:
    """A digest of the code and libraries that lay a form out: a new layout makes every stored file stale."""
    digest = hashlib.sha256()
    for name in RENDERER_FILES:
        digest.update((PACKAGE / name).read_bytes())
    for library in ("python-docx", "weasyprint"):
        digest.update(f"{library}=={version(library)}".encode())
    return digest.hexdigest()


def inputs_fingerprint(inputs: FormInputs, fmt: str) -> str:
    opinion = [inputs.opinion.text, str(inputs.opinion.signed_on)] if inputs.opinion else None
    payload = [renderer_version(), fmt, inputs.form, inputs.unit_name, inputs.values, opinion]
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()
