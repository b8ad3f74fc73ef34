"""Pasting rows from Excel or a Word table into a unit's list: paste, preview, confirm.

One URL; the button pressed is `action`: 预览 (preview), 返回修改 (edit) or 确认导入 (confirm).
With htmx each answer is the panel alone; without it, the whole page. Confirming parses and
checks the text again, so what is saved is what the server checked, not what a page showed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from zuofeng.accounts.permissions import may
from zuofeng.core.forms import add_service_errors
from zuofeng.rectification.forms.paste import PasteForm
from zuofeng.rectification.selectors import ledger as selectors
from zuofeng.rectification.services.importer import TITLES
from zuofeng.rectification.services.ledger_columns import COLUMNS
from zuofeng.rectification.services.paste import ledger_paste

T = "rectification/paste/"


def _preview(result) -> dict:
    """The checked rows as a table: the columns pasted, each cell with the reasons it was refused."""
    reasons: dict[tuple[int, str], list[str]] = {}
    for error in result.errors:
        reasons.setdefault((error.row, error.column), []).append(error.reason)
    attrs = [attr for attr, _title, _required in COLUMNS if any(attr in row.raw for row in result.rows[:1])]
    rows = []
    for row in result.rows:
        cells = [(_shown(row.raw.get(attr)), reasons.get((row.number, TITLES[attr]), [])) for attr in attrs]
        rows.append({"number": row.number, "cells": cells, "bad": any(r for _v, r in cells)})
    problems = len({id(row.problem) for row in result.rows if row.problem})
    return {"columns": [TITLES[a] for a in attrs], "rows": rows, "problems": problems, "measures": len(rows)}


def _shown(value) -> str:
    return "" if value is None else str(value).strip()


@login_required
def ledger_paste_view(request, pk: int):
    ledger = selectors.ledger_get(user=request.user, pk=pk)
    if not may(request.user, "ledger.edit", ledger):  # the import's action: who may import may paste
        raise PermissionDenied("您无权修改该单位的整改清单。")
    form = PasteForm(request.POST or None)
    action = request.POST.get("action", "edit")
    columns = [title for _attr, title, _required in COLUMNS]
    context = {"ledger": ledger, "form": form, "result": None, "preview": None, "columns": columns}
    if request.method == "POST" and action in {"preview", "confirm"} and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            result = ledger_paste(actor=request.user, ledger=ledger, text=text, save=action == "confirm")
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if action == "confirm" and result.ok:
                messages.success(request, f"粘贴导入成功：{result.summary()}。")
                return _to_ledger(request, ledger)
            context.update(result=result, preview=_preview(result))
    template = "_panel.html" if request.headers.get("HX-Request") == "true" else "page.html"
    return render(request, T + template, context)


def _to_ledger(request, ledger):
    url = reverse("rectification:ledger_detail", args=[ledger.pk])
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
