"""攻坚 project pages: the unit's list, registering and editing a plan, its targets and milestones,
submitting, review (approve / return), change requests, and the project page with its chart."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zuofeng.accounts.permissions import may
from zuofeng.campaigns.models import Award
from zuofeng.core import clock
from zuofeng.core.forms import add_service_errors
from zuofeng.core.ids import id_or_none
from zuofeng.core.paging import page_or_404
from zuofeng.projects.forms.plan import (
    ChangeForm,
    ChangeMilestoneFormSet,
    ChangeTargetFormSet,
    MilestoneForm,
    ProjectForm,
    ReviewForm,
    TargetForm,
    change_rows,
)
from zuofeng.projects.forms.progress import ReportForm
from zuofeng.projects.models import ChangeState, Milestone, ProjectState, Target
from zuofeng.projects.selectors import projects as selectors
from zuofeng.projects.services import changes, plan
from zuofeng.projects.services.changes import CHANGEABLE as CHANGE_FIELDS
from zuofeng.projects.services.nominate import record_awards, record_nominate
from zuofeng.projects.views.common import current_campaign, project_or_404, require_view, unit_for_new
from zuofeng.projects.workflow import project_transition


@login_required
@require_GET
def project_list(request):
    require_view(request.user, "project.view")
    qs = selectors.projects_visible(user=request.user).order_by("unit__sort_key", "key_area__order", "id")
    page = page_or_404(Paginator(qs, 50), request.GET.get("page"))
    partnered = selectors.projects_partnered(user=request.user).order_by("unit__sort_key", "key_area__order", "id")
    context = {
        "page": page, "projects": page.object_list, "can_create": unit_for_new(request) is not None,
        "partnered": list(partnered[:200]),
    }  # fmt: skip
    return render(request, "projects/plan/list.html", context)


def _plan_values(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("version", None)
    return data


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request):
    unit = unit_for_new(request)
    if unit is None or not may(request.user, "project.edit", unit):
        raise PermissionDenied
    campaign = current_campaign()
    form = ProjectForm(request.POST or None, campaign=campaign, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            project = plan.project_create(actor=request.user, campaign=campaign, unit=unit, **_plan_values(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "攻坚项目已登记，请填写目标指标和季度节点后提交审核。")
            return redirect("projects:detail", pk=project.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "projects/plan/form.html", {"form": form, "unit": unit, "project": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, pk: int):
    project = project_or_404(request.user, pk)
    if not may(request.user, "project.edit", project):
        raise PermissionDenied
    initial = {name: getattr(project, name) for name in plan.PLAN_FIELDS}
    initial.update(version=project.version, partner_units=list(project.partner_units.all()))
    form = ProjectForm(request.POST or None, initial=initial, campaign=project.campaign, unit=project.unit)
    if request.method == "POST" and form.is_valid():
        try:
            data = _plan_values(form)
            plan.project_update(actor=request.user, project=project, version=form.cleaned_data["version"], **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "项目计划已保存。")
            return redirect("projects:detail", pk=project.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "projects/plan/form.html", {"form": form, "unit": project.unit, "project": project}, status=status
    )


def _actions(user, project) -> dict[str, bool]:
    state = project.state
    editable = state in plan.EDITABLE_STATES
    pending = project.changes.filter(state=ChangeState.PENDING).first()
    return {
        "can_edit": editable and may(user, "project.edit", project),
        "can_submit": editable and may(user, "project.submit", project),
        "can_review": state == ProjectState.SUBMITTED and may(user, "project.review", project),
        "can_report": state == ProjectState.APPROVED and may(user, "project.report", project),
        "can_request_change": state == ProjectState.APPROVED
        and pending is None
        and may(user, "project.request_change", project),
        "pending_change": pending,
        "can_decide_change": pending is not None and may(user, "project.change_decide", project),
        "can_nominate": state == ProjectState.APPROVED and may(user, "project.edit", project.unit),
    }


def _page(request, project, *, status: int = 200, **forms):
    targets = selectors.project_targets(project=project)
    milestones = selectors.project_milestones(project=project)
    history = selectors.project_changes(project=project)
    defaults = {
        "target_form": TargetForm(initial={"version": project.version}),
        "milestone_form": MilestoneForm(initial={"version": project.version}),
        "review_form": ReviewForm(),
        "report_form": ReportForm(
            initial={"reported_on": clock.today()}, milestones=milestones, targets=[r.target for r in targets]
        ),
    }
    context = {
        "project": project,
        "targets": targets,
        "milestones": milestones,
        "events": selectors.project_events(project=project),
        "changes": history,
        "pending_lines": next((c.lines for c in history if c.state == ChangeState.PENDING), []),
        "charts": selectors.chart_data(targets=targets),
        "nominate_awards": record_awards(project.campaign, "project"),
        **_actions(request.user, project),
        **defaults,
        **forms,
    }
    return render(request, "projects/plan/detail.html", context, status=status)


@login_required
@require_GET
def project_detail(request, pk: int):
    return _page(request, project_or_404(request.user, pk))


def _post(request, pk: int, form_class, form_name: str, run, done: str):
    """Validate, run the service, then redirect; or show the page again with the errors at the fields."""
    project = project_or_404(request.user, pk)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            run(project, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("projects:detail", pk=project.pk)
        project.refresh_from_db()
    return _page(request, project, status=400, **{form_name: form})


@login_required
@require_POST
def target_add(request, pk: int):
    def run(project, data):
        plan.target_add(actor=request.user, project=project, **data)

    return _post(request, pk, TargetForm, "target_form", run, "目标指标已添加。")


@login_required
@require_POST
def milestone_add(request, pk: int):
    def run(project, data):
        plan.milestone_add(actor=request.user, project=project, **data)

    return _post(request, pk, MilestoneForm, "milestone_form", run, "季度节点已添加。")


@login_required
@require_POST
def item_remove(request, pk: int, kind: str, item_id: int):
    project = project_or_404(request.user, pk)
    model = Target if kind == "target" else Milestone
    item = get_object_or_404(model, pk=item_id, project=project)
    try:
        plan.plan_item_remove(actor=request.user, project=project, version=None, item=item)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "已删除。")
    return redirect("projects:detail", pk=project.pk)


@login_required
@require_POST
def project_submit(request, pk: int):
    project = project_or_404(request.user, pk)
    try:
        project_transition(actor=request.user, project=project, to=ProjectState.SUBMITTED)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "已提交审核单位审核。")
    return redirect("projects:detail", pk=project.pk)


@login_required
@require_POST
def project_review(request, pk: int):
    decision = request.POST.get("decision")
    to = ProjectState.APPROVED if decision == "approve" else ProjectState.RETURNED

    def run(project, data):
        project_transition(actor=request.user, project=project, to=to, comment=data["comment"])

    return _post(request, pk, ReviewForm, "review_form", run, "已审核通过。" if decision == "approve" else "已退回。")


def _change_initial(project) -> dict:
    """What the change form starts from: the plan as it is or, after a request the reviewer did not
    agree to, that request as it was typed (so the unit corrects it rather than types it again)."""
    values = changes.plan_snapshot(project)
    last = project.changes.order_by("-id").first()
    rejected = last if last is not None and last.state == ChangeState.REJECTED else None
    if rejected is not None:
        values.update(rejected.new_values)
    return {
        "change": {k: values[k] for k in CHANGE_FIELDS} | {"reason": rejected.reason if rejected else ""},
        "targets": values["targets"],
        "milestones": values["milestones"],
        "rejected": rejected,
    }


def _map_change_errors(error: ValidationError, form, formsets: dict, positions: dict) -> dict[str, list[str]]:
    """A service error keyed "targets-2-baseline" goes to the field of the form that row came from;
    "targets" / "milestones" are about the whole list and are shown above it."""
    section = {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return section
    for key, errors in error.error_dict.items():
        prefix, _, rest = key.partition("-")
        if prefix in formsets and rest:
            index, _, field = rest.partition("-")
            formsets[prefix].forms[positions[prefix][int(index)]].add_error(field, errors)
        elif prefix in formsets:
            section[prefix] = [m for e in errors for m in e.messages]
        else:
            form.add_error(key if key in form.fields else None, errors)
    return section


@login_required
@require_http_methods(["GET", "POST"])
def change_request(request, pk: int):
    """申请变更: the plan's name, goal and deadline, its targets and its milestones, with a reason."""
    project = project_or_404(request.user, pk)
    if not _actions(request.user, project)["can_request_change"]:
        raise PermissionDenied
    initial = _change_initial(project)
    data = request.POST if request.method == "POST" else None
    form = ChangeForm(data, initial=initial["change"])
    formsets = {
        "targets": ChangeTargetFormSet(data, initial=initial["targets"], prefix="targets"),
        "milestones": ChangeMilestoneFormSet(data, initial=initial["milestones"], prefix="milestones"),
    }
    section = {}
    if data is not None and form.is_valid() and all(f.is_valid() for f in formsets.values()):
        targets, target_at = change_rows(formsets["targets"])
        milestones, milestone_at = change_rows(formsets["milestones"])
        try:
            changes.change_request(
                actor=request.user, project=project, targets=targets, milestones=milestones, **form.cleaned_data
            )
        except ValidationError as error:
            positions = {"targets": target_at, "milestones": milestone_at}
            section = _map_change_errors(error, form, formsets, positions)
        else:
            messages.success(request, "变更申请已提交，等待审核单位审核。")
            return redirect("projects:detail", pk=project.pk)
    context = {
        "project": project, "form": form, "target_formset": formsets["targets"],
        "milestone_formset": formsets["milestones"], "section_errors": section, "rejected": initial["rejected"],
    }  # fmt: skip
    return render(request, "projects/plan/change.html", context, status=400 if data is not None else 200)


@login_required
@require_POST
def change_decide(request, pk: int):
    approve = request.POST.get("decision") == "approve"

    def run(project, data):
        pending = project.changes.filter(state=ChangeState.PENDING).first()
        if pending is None:
            raise ValidationError("没有待审核的变更申请。")
        changes.change_decide(actor=request.user, change=pending, approve=approve, comment=data["comment"])

    return _post(request, pk, ReviewForm, "review_form", run, "已同意变更。" if approve else "已不同意变更。")


@login_required
@require_POST
def project_nominate(request, pk: int):
    """申报 from the project: the draft is created with the project's figures; the unit completes it."""
    project = project_or_404(request.user, pk)
    if project.state != ProjectState.APPROVED or not may(request.user, "project.edit", project):
        raise PermissionDenied
    award = get_object_or_404(Award, pk=id_or_none(request.POST.get("award")) or 0, campaign=project.campaign)
    try:
        nomination = record_nominate(actor=request.user, award=award, project=project)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("projects:detail", pk=project.pk)
    messages.success(request, f"已按本项目填好“{award.name}”申报表，请核对补充后保存报送。")
    return redirect("nominations:edit", pk=nomination.pk)
