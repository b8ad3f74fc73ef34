"""The inspection report of a round (督查情况报告), Word, GB/T 9704 body style (documents/report.py)."""

from zuofeng.core import clock
from zuofeng.documents.report import Report
from zuofeng.documents.values import cn_full_date
from zuofeng.supervision.definition import focus_choices
from zuofeng.supervision.models import Finding
from zuofeng.supervision.selectors.rounds import round_overview

MAX_LISTED = 500  # findings listed one by one; a larger round is summarised by the tables only


def round_report_docx(*, round_) -> bytes:
    overview = round_overview(round_=round_)
    focus = dict(focus_choices(round_.campaign)).get(round_.focus, round_.focus)
    report = Report(f"关于{round_.name}情况的报告")
    report.paragraph(
        f"{cn_full_date(round_.starts_on)}至{cn_full_date(round_.ends_on)}，督查组围绕“{focus}”，"
        f"对{overview.units}个单位开展专项督查，实地督查{overview.visited}个单位，"
        f"发现问题{overview.findings}个，经确认{overview.confirmed}个，已转入单位整改清单{overview.to_problems}个，"
        f"已整改销号{overview.closed}个。"
        + (
            f"被督查单位按每类{round_.sample_size}个随机抽取（抽样种子{round_.sample_seed}）。"
            if round_.sample_seed
            else ""
        )
    )
    report.heading("一、发现问题按类别统计")
    report.table(["类别", "问题数"], [list(row) for row in overview.by_category] or [["（无）", 0]])
    report.heading("二、发现问题按严重程度统计")
    report.table(["严重程度", "问题数"], [list(row) for row in overview.by_severity])
    report.heading("三、各单位情况")
    report.table(
        ["单位", "发现问题", "已确认", "严重"],
        [[row["unit"].qualified_name, row["n"], row["confirmed"], row["grave"]] for row in overview.per_unit],
    )
    findings = list(
        Finding.objects.filter(round=round_)
        .select_related("unit", "category")
        .order_by("unit__sort_key", "id")[:MAX_LISTED]
    )
    if findings:
        report.heading("四、发现的主要问题")
        for number, finding in enumerate(findings, start=1):
            report.paragraph(
                f"{number}. {finding.unit.display_name}（{finding.category.name}，{finding.get_severity_display()}，"
                f"{finding.get_state_display()}）：{finding.text}"
            )
    report.signature(round_.campaign.issuer or "区作风办", cn_full_date(clock.today()))
    return report.bytes()
