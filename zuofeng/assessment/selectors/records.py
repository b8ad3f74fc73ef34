"""Lines for the records behind the items that read other domains (督查问责, 活动信息, 攻坚项目, 群众投诉):
each links to the record's own page, which applies that app's own visibility rules."""

from django.urls import reverse

from zuofeng.complaints.models import Complaint, SurveyPeriod
from zuofeng.notices.models import InfoItem
from zuofeng.organisation.selectors import units_qualify
from zuofeng.projects.models import Milestone
from zuofeng.supervision.models import AccountabilityCase, Finding, RecheckItem


def _unit_named(rows, unit_of):
    rows = list(rows)
    units_qualify([unit_of(r) for r in rows])
    return rows


def recheck_lines(ids, line):
    rows = _unit_named(
        RecheckItem.objects.filter(pk__in=ids).select_related("sample", "measure", "unit").order_by("id"),
        lambda r: r.unit,
    )
    return [
        line(
            "纸面销号",
            r.measure.text,
            f"{r.unit.qualified_name} · {r.sample.name} · {r.get_verdict_display()}",
            reverse("supervision:recheck_detail", args=[r.sample_id]),
        )
        for r in rows
    ]


def finding_lines(ids, line):
    rows = _unit_named(
        Finding.objects.filter(pk__in=ids).select_related("unit").order_by("found_on", "id"), lambda f: f.unit
    )
    return [
        line(
            "督查发现",
            f.text,
            f"{f.unit.qualified_name} · {f.get_severity_display()} · 发现 {f.found_on.isoformat()}",
            reverse("supervision:finding_detail", args=[f.pk]),
        )
        for f in rows
    ]


def case_lines(ids, line):
    # Who was held to account and the facts stay on the case page (read there only by those allowed,
    # every read audited): the breakdown names the case, its degree and date.
    rows = AccountabilityCase.objects.filter(pk__in=ids).order_by("decided_on", "id")
    return [
        line(
            "问责决定",
            f"问责案件 {c.pk}",
            f"情节{c.get_degree_display()} · 决定 {c.decided_on.isoformat() if c.decided_on else ''}",
            reverse("supervision:case_detail", args=[c.pk]),
        )
        for c in rows
    ]


def info_lines(ids, line):
    rows = _unit_named(
        InfoItem.objects.filter(pk__in=ids).select_related("unit", "briefing").order_by("happened_on", "id"),
        lambda i: i.unit,
    )
    return [
        line(
            "活动信息",
            i.title,
            f"{i.unit.qualified_name} · {i.happened_on.isoformat()}" + (f" · 简报{i.briefing}" if i.briefing else ""),
            reverse("notices:detail", args=[i.briefing.notice_id]) if i.briefing else reverse("notices:info"),
        )
        for i in rows
    ]


def milestone_lines(ids, line):
    rows = _unit_named(
        Milestone.objects.filter(pk__in=ids).select_related("project__unit").order_by("due_on", "id"),
        lambda m: m.project.unit,
    )
    return [
        line(
            "攻坚节点",
            f"{m.project.title}：{m.title}",
            f"{m.project.unit.qualified_name} · 节点时限 {m.due_on.isoformat()} · "
            + (f"完成 {m.done_on.isoformat()}" if m.done_on else f"未完成（{m.percent}%）"),
            reverse("projects:detail", args=[m.project_id]),
        )
        for m in rows
    ]


def complaint_lines(ids, line):
    rows = _unit_named(
        Complaint.objects.filter(pk__in=ids).select_related("unit").order_by("deadline", "id"), lambda c: c.unit
    )
    return [
        line(
            "群众投诉",
            c.code,
            f"{c.unit.qualified_name} · 办理期限 {c.deadline.isoformat()} · "
            + (f"答复 {c.replied_on.isoformat()}" if c.replied_on else "未答复")
            + f" · {c.get_state_display()}",
            reverse("complaints:detail", args=[c.pk]),
        )
        for c in rows
    ]


def survey_lines(ids, line):
    return [
        line("满意度测评", p.name, "满意度测评结果", reverse("complaints:survey_period", args=[p.pk]))
        for p in SurveyPeriod.objects.filter(pk__in=ids).order_by("id")
    ]


SOURCE_LINES = {
    "recheck": recheck_lines,
    "finding": finding_lines,
    "case": case_lines,
    "info": info_lines,
    "milestone": milestone_lines,
    "complaint": complaint_lines,
    "survey": survey_lines,
}
