"""Reading 系统性问题: the office only (accounts.permissions: cluster.view)."""

from collections import Counter

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from zuofeng.accounts.permissions import may
from zuofeng.assessment.models import ClusterRun, ProblemCluster, RunState
from zuofeng.organisation.selectors import units_qualify
from zuofeng.rectification.models import Light, Measure, Problem


def _require(user) -> None:
    if not may(user, "cluster.view"):
        raise PermissionDenied("只有作风办可以查看系统性问题。")


def cluster_runs(*, user, campaign) -> tuple[ClusterRun | None, ClusterRun | None]:
    """(the newest run in any state, the newest finished one)."""
    _require(user)
    runs = ClusterRun.objects.filter(campaign=campaign).order_by("-id")
    return runs.first(), runs.filter(state=RunState.DONE).first()


def cluster_set(*, user, run: ClusterRun | None) -> QuerySet[ProblemCluster]:
    _require(user)
    if run is None:
        return ProblemCluster.objects.none()
    return ProblemCluster.objects.filter(run=run).select_related("owner")


def cluster_get(*, user, pk: int) -> ProblemCluster:
    _require(user)
    return get_object_or_404(ProblemCluster.objects.select_related("owner", "run"), pk=pk)


def cluster_problems(cluster: ProblemCluster) -> list[Problem]:
    """The problems behind a cluster, in official unit order, each with its measures' lights."""
    problems = list(
        Problem.objects.filter(pk__in=cluster.members.values("problem_id"))
        .select_related("unit", "category", "ledger")
        .order_by("unit__sort_key", "id")
    )
    lights: dict[int, Counter] = {}
    for problem_id, light in Measure.objects.filter(problem__in=problems).values_list("problem_id", "light"):
        lights.setdefault(problem_id, Counter())[light] += 1
    units_qualify([p.unit for p in problems])
    for problem in problems:
        counts = lights.get(problem.pk, Counter())
        problem.lights = [(Light(key).label, key, n) for key, n in sorted(counts.items())]
    return problems
