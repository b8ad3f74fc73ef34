"""Opinion queue and form, judges per award, the judge's scoring pages, the office's ranking and selection."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zuofeng.accounts.models import Role, User
from zuofeng.accounts.permissions import may
from zuofeng.campaigns.models import AWARD_COUNTER, Award
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.core import clock
from zuofeng.core.forms import add_service_errors
from zuofeng.nominations.models import JudgeAssignment, Nomination, NominationState, Opinion
from zuofeng.nominations.selectors import judging as selectors
from zuofeng.nominations.services import judging as services
from zuofeng.nominations.services.opinion import opinion_give
from zuofeng.supervision.selectors.cases import decided_person_ids

# ── forms ───────────────────────────────────────────────────────────────────


class OpinionForm(forms.Form):
    text = forms.CharField(
        label="意见", widget=forms.Textarea(attrs={"rows": 5}), error_messages={"required": "请填写意见。"}
    )
    signed_on = forms.DateField(
        label="签署日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "请填写签署日期。", "invalid": "签署日期格式不正确，例如 2018-10-25。"},
    )
    stamped_scan = forms.FileField(
        label="盖章扫描件",
        help_text="盖章后的意见页扫描件，PDF、JPG 或 PNG，不超过 20 MB。",
        error_messages={"required": "请上传盖章后的意见扫描件（PDF 或图片）。"},
    )


class ScoreForm(forms.Form):
    """One score (0–100) and one comment per criterion of the award."""

    def __init__(self, *args, criteria: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for i, c in enumerate(criteria):
            self.fields[f"score_{i}"] = forms.DecimalField(
                label=f"{c['name']}（权重 {c['weight']}%）",
                min_value=0,
                max_value=100,
                decimal_places=2,
                help_text=c.get("description", ""),
                error_messages={
                    "required": f"请为“{c['name']}”评分。",
                    "invalid": f"“{c['name']}”的得分须为数字。",
                    "min_value": f"“{c['name']}”的得分须在 0 到 100 之间。",
                    "max_value": f"“{c['name']}”的得分须在 0 到 100 之间。",
                    "max_decimal_places": f"“{c['name']}”的得分最多保留两位小数。",
                    "max_digits": f"“{c['name']}”的得分须在 0 到 100 之间。",
                },
            )
            self.fields[f"comment_{i}"] = forms.CharField(
                label=f"{c['name']}评语", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def scores(self) -> list[tuple]:
        data = self.cleaned_data
        return [(i, data[f"score_{i}"], data.get(f"comment_{i}", "")) for i in range(len(self.criteria))]

    def pairs(self):
        return [(self[f"score_{i}"], self[f"comment_{i}"]) for i in range(len(self.criteria))]


def _manageable_award(user, award_id: int) -> Award:
    if not may(user, "award.manage"):
        raise PermissionDenied
    return get_object_or_404(Award.objects.select_related("campaign"), pk=award_id)


# ── opinion ─────────────────────────────────────────────────────────────────


@login_required
def opinion_queue(request):
    if not may(request.user, "nomination.opinion"):
        raise PermissionDenied
    queue = selectors.opinion_queue(user=request.user)
    return render(request, "nominations/opinion/queue.html", {"queue": queue})


@login_required
def opinion_form(request, pk: int):
    nomination = get_object_or_404(Nomination.objects.select_related("award", "unit"), pk=pk)
    if not may(request.user, "nomination.view", nomination):
        raise Http404("没有这份申报")
    if not may(request.user, "nomination.opinion", nomination):
        raise PermissionDenied
    form = OpinionForm(request.POST or None, request.FILES or None, initial={"signed_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            opinion_give(
                actor=request.user,
                nomination=nomination,
                text=form.cleaned_data["text"],
                signed_on=form.cleaned_data["signed_on"],
                stamped_scan=form.cleaned_data["stamped_scan"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"已对“{nomination.unit.display_name}”的“{nomination.award.name}”申报签署意见。")
            return redirect("nominations:opinions")
    fields = selectors.form_fields(nomination, show_private=may(request.user, "nomination.view_private", nomination))
    return render(request, "nominations/opinion/give.html", {"nomination": nomination, "form": form, "fields": fields})


@login_required
def opinion_scan(request, pk: int):
    opinion = get_object_or_404(Opinion.objects.select_related("nomination__unit"), nomination_id=pk)
    if not may(request.user, "nomination.view", opinion.nomination) or not opinion.stamped_scan:
        raise Http404("没有这份扫描件")
    return FileResponse(opinion.stamped_scan.open("rb"), as_attachment=True, filename=opinion.stamped_scan_name)


# ── judges and judging ──────────────────────────────────────────────────────


@login_required
def judging_home(request):
    """A judge's awards and what they may score; the office's overview of judging per award."""
    user = request.user
    if may(user, "award.manage"):
        campaign = campaign_current()
        states = {
            "waiting": [NominationState.SUBMITTED, NominationState.OPINION_GIVEN],
            "judging": [NominationState.JUDGING],
            "selected": [NominationState.SELECTED],
        }
        awards = (
            Award.objects.filter(campaign=campaign, is_active=True)
            .annotate(**{k: Count("nominations", filter=Q(nominations__state__in=v)) for k, v in states.items()})
            .prefetch_related("judge_assignments__judge__person")
            .order_by("order")
        )
        return render(request, "nominations/judging/office.html", {"awards": awards, "campaign": campaign})
    if not may(user, "nomination.judge"):
        raise PermissionDenied
    groups = []
    for award in selectors.judge_awards(user=user):
        nominations = selectors.judge_nominations(user=user, award=award)
        mine = selectors.judge_scores(user=user, nominations=nominations)
        rows = [{"nomination": n, "scored": len(mine.get(n.pk, {})) == len(award.criteria or [])} for n in nominations]
        groups.append({"award": award, "rows": rows, "done": sum(r["scored"] for r in rows)})
    return render(request, "nominations/judging/judge.html", {"groups": groups})


@login_required
def score_form(request, pk: int):
    nomination = get_object_or_404(Nomination.objects.select_related("award", "unit"), pk=pk)
    if not may(request.user, "nomination.judge", nomination):
        raise PermissionDenied
    criteria = nomination.award.criteria or []
    mine = selectors.judge_scores(user=request.user, nominations=[nomination]).get(nomination.pk, {})
    initial = {}
    for i, s in mine.items():
        initial[f"score_{i}"], initial[f"comment_{i}"] = s.score, s.comment
    form = ScoreForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.score_save(actor=request.user, nomination=nomination, scores=form.scores())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"已保存对“{nomination.title}”的评分。")
            return redirect("nominations:judging")
    fields = selectors.form_fields(nomination, show_private=may(request.user, "nomination.view_private", nomination))
    return render(request, "nominations/judging/score.html", {"nomination": nomination, "form": form, "fields": fields})


@login_required
def judges(request, award_id: int):
    award = _manageable_award(request.user, award_id)
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                judge = get_object_or_404(User, pk=request.POST["remove"])
                services.judge_unassign(actor=request.user, award=award, judge=judge)
                messages.success(request, f"已取消 {judge.display_name} 的评审分配。")
            else:
                chosen = User.objects.filter(pk__in=request.POST.getlist("judges"))
                created = services.judge_assign(actor=request.user, award=award, judges=chosen)
                messages.success(request, f"已分配 {len(created)} 名评审专家。")
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        return redirect("nominations:judges", award_id=award.pk)
    assigned = JudgeAssignment.objects.filter(award=award).select_related("judge__person__unit")
    candidates = (
        User.objects.filter(role_assignments__role=Role.JUDGE, is_active=True)
        .exclude(pk__in=[a.judge_id for a in assigned])
        .select_related("person__unit")
        .distinct()
    )
    return render(
        request, "nominations/judging/judges.html", {"award": award, "assigned": assigned, "candidates": candidates}
    )


@login_required
@require_POST
def judging_open(request, award_id: int):
    award = _manageable_award(request.user, award_id)
    try:
        moved = services.judging_open(actor=request.user, award=award)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"“{award.name}”已开始评审，{moved} 份申报进入评审。")
    return redirect("nominations:judges", award_id=award.pk)


@login_required
def ranking(request, award_id: int):
    award = _manageable_award(request.user, award_id)
    rows = selectors.award_ranking(award=award)
    method = selectors.award_aggregate(award)
    judge_ids = {j for r in rows for j in r.totals}
    names = {u.pk: u.display_name for u in User.objects.filter(pk__in=judge_ids).select_related("person")}
    # A person with an accountability decision this year is flagged for the office to weigh (issue 11).
    decided = decided_person_ids(campaign=award.campaign) if award.kind == "individual" else set()
    for r in rows:
        r.by_judge = [(names.get(j, "—"), total) for j, total in sorted(r.totals.items())]
        r.accountability = (r.nomination.unit_id, r.nomination.title) in decided
    return render(
        request,
        "nominations/judging/ranking.html",
        {
            "award": award,
            "rows": rows,
            "method_label": selectors.AGGREGATE_LABELS[method],
            "judges": JudgeAssignment.objects.filter(award=award).count(),
            "counter": AWARD_COUNTER.get(award.kind, "个"),
            "selectable": any(r.nomination.state == "judging" for r in rows),
            "ties": sum(r.tie for r in rows),
        },
    )


@login_required
@require_POST
def results_select(request, award_id: int):
    award = _manageable_award(request.user, award_id)
    ids = [pk for pk in request.POST.getlist("selected") if pk.isdigit()]
    try:
        selected, rest = services.results_select(
            actor=request.user, award=award, selected_ids=ids, allow_over_quota=bool(request.POST.get("over_quota"))
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"“{award.name}”评选结果已确定：入选 {selected} 个，未入选 {rest} 个。")
    return redirect("nominations:ranking", award_id=award.pk)
