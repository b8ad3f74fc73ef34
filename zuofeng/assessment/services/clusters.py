"""系统性问题: cluster every problem of a campaign (background task), then the office names, marks,
assigns and follows a cluster.

A new analysis makes a new set of clusters; a cluster the office had already worked on hands its
name, mark, owner and state on to the new cluster holding most of its problems, so re-running the
analysis does not lose the office's work.
"""

from collections import Counter, defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zuofeng.accounts.permissions import may
from zuofeng.assessment.clustering import cluster_label, cluster_texts
from zuofeng.assessment.models import ClusterMember, ClusterNote, ClusterRun, FollowState, ProblemCluster, RunState
from zuofeng.audit.services import audit_record
from zuofeng.campaigns.models import Campaign
from zuofeng.core import clock
from zuofeng.core.jobs import job_beat, job_claim
from zuofeng.organisation.models import Unit
from zuofeng.rectification.models import Problem

MIN_UNITS = 2  # a problem only one unit reports is that unit's own, not a systemic one


def _require(actor, action: str) -> None:
    if not may(actor, action):
        raise PermissionDenied("只有作风办可以分析和研判系统性问题。")


@transaction.atomic
def cluster_run_request(*, actor, campaign: Campaign) -> ClusterRun:
    _require(actor, "cluster.manage")
    from zuofeng.assessment.services.scores import busy

    if busy(ClusterRun, campaign):
        raise ValidationError("系统性问题分析正在进行，请等待完成")
    from zuofeng.assessment.clustering import THRESHOLD

    run = ClusterRun.objects.create(campaign=campaign, threshold=THRESHOLD, requested_by=actor)
    audit_record(actor=actor, action="cluster.compute", obj=run)
    from zuofeng.assessment.tasks.clusters import cluster_run_compute

    transaction.on_commit(lambda: cluster_run_compute.enqueue(run.pk))
    return run


def cluster_run_execute(*, run_id: int) -> int:
    if not job_claim(ClusterRun, run_id):
        return ClusterRun.objects.get(pk=run_id).done
    run = ClusterRun.objects.get(pk=run_id)
    try:
        return _cluster(run)
    except Exception as error:
        ClusterRun.objects.filter(pk=run_id).update(
            state=RunState.FAILED, error=f"分析失败：{error}", finished_at=clock.now()
        )
        raise


def _cluster(run: ClusterRun) -> int:
    rows = list(
        Problem.objects.filter(ledger__campaign_id=run.campaign_id)
        .order_by("id")
        .values_list("id", "unit_id", "description")
    )
    job_beat(ClusterRun, run.pk, total=len(rows))
    labels = cluster_texts(
        [r[2] for r in rows], progress=lambda done, total: job_beat(ClusterRun, run.pk, done=len(rows) * done // total)
    )
    groups: dict[int, list[tuple]] = defaultdict(list)
    for row, label in zip(rows, labels.tolist(), strict=True):
        if label >= 0:
            groups[label].append(row)
    previous = (
        ClusterRun.objects.filter(campaign_id=run.campaign_id, state=RunState.DONE, pk__lt=run.pk)
        .order_by("-id")
        .first()
    )
    inherited = _worked_on(previous)
    made = 0
    with transaction.atomic():
        for members in groups.values():
            units = {unit_id for _, unit_id, _ in members}
            if len(units) < MIN_UNITS:
                continue
            cluster = ProblemCluster.objects.create(
                run=run,
                label=cluster_label([text for _, _, text in members]),
                problem_count=len(members),
                unit_count=len(units),
            )
            ClusterMember.objects.bulk_create(
                [ClusterMember(cluster=cluster, problem_id=pid, unit_id=uid) for pid, uid, _ in members],
                batch_size=2000,
            )
            _inherit(cluster, {pid for pid, _, _ in members}, inherited)
            made += 1
        ClusterRun.objects.filter(pk=run.pk).update(
            state=RunState.DONE, done=len(rows), finished_at=clock.now(), heartbeat_at=clock.now()
        )
    return made


def _worked_on(previous: ClusterRun | None) -> list[tuple[ProblemCluster, set[int]]]:
    if previous is None:
        return []
    worked = ProblemCluster.objects.filter(run=previous).exclude(name="", owner__isnull=True, district_wide=False)
    return [(c, set(c.members.values_list("problem_id", flat=True))) for c in worked]


def _inherit(cluster: ProblemCluster, problems: set[int], inherited) -> None:
    best = max(inherited, key=lambda pair: len(pair[1] & problems), default=None)
    if best is None or len(best[1] & problems) * 2 < len(best[1]):
        return
    old = best[0]
    cluster.name, cluster.district_wide, cluster.owner_id, cluster.state = (
        old.name,
        old.district_wide,
        old.owner_id,
        old.state,
    )
    cluster.save(update_fields=["name", "district_wide", "owner", "state"])


@transaction.atomic
def cluster_update(
    *, actor, cluster: ProblemCluster, name: str, district_wide: bool, owner: Unit | None, state: str, version: int
) -> ProblemCluster:
    """The office names the cluster, marks it a district-wide task and assigns the unit that owns the fix."""
    _require(actor, "cluster.manage")
    locked = ProblemCluster.objects.select_for_update().get(pk=cluster.pk)
    errors = {}
    if version != locked.version:
        errors["name"] = "该系统性问题已被他人修改，请刷新后重试"
    if state == FollowState.ASSIGNED and owner is None:
        errors["owner"] = "交办须选择牵头单位"
    if state not in FollowState.values:
        errors["state"] = "跟踪状态不正确"
    if errors:
        raise ValidationError(errors)
    before = {
        "name": locked.name,
        "district_wide": locked.district_wide,
        "owner": locked.owner_id,
        "state": locked.state,
    }
    locked.name, locked.district_wide, locked.owner, locked.state = name.strip(), district_wide, owner, state
    locked.version += 1
    locked.save()
    after = {"name": locked.name, "district_wide": district_wide, "owner": locked.owner_id, "state": state}
    audit_record(actor=actor, action="cluster.update", obj=locked, before=before, after=after)
    return locked


@transaction.atomic
def cluster_note_add(*, actor, cluster: ProblemCluster, text: str) -> ClusterNote:
    _require(actor, "cluster.manage")
    if not text.strip():
        raise ValidationError({"text": "请填写跟踪情况"})
    note = ClusterNote.objects.create(cluster=cluster, text=text.strip(), actor=actor)
    audit_record(actor=actor, action="cluster.note", obj=cluster, after={"text": note.text})
    return note


def cluster_categories(cluster: ProblemCluster) -> Counter:
    return Counter(
        Problem.objects.filter(pk__in=cluster.members.values("problem_id")).values_list("category__name", flat=True)
    )
