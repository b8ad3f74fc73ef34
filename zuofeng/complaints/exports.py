"""The 交办单 of one case (Word): what the unit is asked to handle, printed for its file or for a
leader to sign. It holds only what the unit's own page shows — the text as the office left it for
the unit, never the original nor anything of the reporter — so the office can hand it over as is."""

import io

from django.http import FileResponse
from docx.shared import Cm

from zuofeng.complaints.models import Complaint
from zuofeng.core.cn import cn_datetime
from zuofeng.core.uploads import CONTENT_TYPES, DOCX
from zuofeng.documents.report import Report
from zuofeng.documents.values import cn_full_date

BLANK = "　" * 12  # room to write by hand on the printed sheet


def complaint_sheet_rows(complaint: Complaint) -> list[list[str]]:
    symptom = f"{complaint.symptom.category.name} · {complaint.symptom.name}" if complaint.symptom_id else "—"
    due = cn_full_date(complaint.deadline) or "—"
    if complaint.extension_until:
        due += f"（申请延期至{cn_full_date(complaint.extension_until)}）"
    rows = [
        ["编号（查询码）", complaint.code],
        ["类型", complaint.get_kind_display()],
        ["问题表现", symptom],
        ["承办单位", complaint.unit.qualified_name if complaint.unit_id else "—"],
        ["提交时间", cn_datetime(complaint.received_at)],
        ["发生日期、地点", f"{cn_full_date(complaint.happened_on) or '—'} {complaint.place}".strip()],
        ["派单日期", cn_full_date(complaint.dispatched_on) or "—"],
        ["签收期限", cn_full_date(complaint.sign_due) or "—"],
        ["办理期限", due],
        ["反映内容", complaint.text],
    ]
    if complaint.office_note:
        rows.append(["作风办意见", complaint.office_note])
    rows.append(["办理情况", complaint.reply or BLANK])
    return rows


def complaint_sheet_docx(*, complaint: Complaint) -> bytes:
    report = Report("群众反映问题交办单")
    table = report.table(["项目", "内容"], complaint_sheet_rows(complaint), widths_cm=[3.5, 12.1])
    if not complaint.reply:  # room to write the reply by hand
        table.rows[-1].height = Cm(6)
    report.paragraph("反映人信息由区作风办保管，不向承办单位提供。承办单位应在办理期限内办结并答复。")
    report.signature(f"承办单位（盖章）{BLANK}", f"负责人签字：{BLANK}　年　月　日")
    return report.bytes()


def complaint_sheet_response(*, complaint: Complaint) -> FileResponse:
    """The download, as the page and the API serve it."""
    return FileResponse(
        io.BytesIO(complaint_sheet_docx(complaint=complaint)),
        as_attachment=True,
        filename=f"群众反映交办单-{complaint.code}.docx",
        content_type=CONTENT_TYPES[DOCX],
    )
