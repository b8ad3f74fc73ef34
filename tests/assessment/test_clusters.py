"""系统性问题: clusters from the units' own words, the office's naming, marking, assigning and notes,
kept across a re-analysis; the labelled sample's quality holds."""

from pathlib import Path

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from tests.assessment.conftest import _ledger
from zuofeng.assessment.clustering import cluster_texts
from zuofeng.assessment.demo import WORDINGS
from zuofeng.assessment.models import ClusterRun, FollowState, ProblemCluster
from zuofeng.assessment.services.clusters import cluster_note_add, cluster_run_request, cluster_update
from zuofeng.audit.models import AuditEntry

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "problem_clusters.tsv"


def _analyse(office, campaign) -> ClusterRun:
    with TestCase.captureOnCommitCallbacks(execute=True):
        run = cluster_run_request(actor=office, campaign=campaign)
    run.refresh_from_db()
    return run


@pytest.fixture
def approvals(district):
    for unit, text in ((district.org.section_b1, WORDINGS[1]), (district.town, WORDINGS[2])):
        _ledger(district.campaign, unit, None, description=text)
    return district


def test_similar_problems_of_several_units_form_one_cluster(approvals):
    run = _analyse(approvals.people.office, approvals.campaign)
    assert (run.state, run.total, run.done) == ("done", 4, 4)
    cluster = ProblemCluster.objects.get(run=run)
    assert (cluster.unit_count, cluster.problem_count) == (4, 4)
    assert "审批环节" in cluster.label


def test_office_names_marks_assigns_and_follows_and_a_reanalysis_keeps_it(approvals):
    office = approvals.people.office
    cluster = ProblemCluster.objects.get(run=_analyse(office, approvals.campaign))
    with pytest.raises(ValidationError) as refused:
        cluster_update(
            actor=office, cluster=cluster, name="审批环节多", district_wide=True, owner=None,
            state=FollowState.ASSIGNED, version=cluster.version,
        )  # fmt: skip
    assert refused.value.message_dict == {"owner": ["交办须选择牵头单位"]}
    cluster_update(
        actor=office, cluster=cluster, name="审批环节多、材料重复提交", district_wide=True,
        owner=approvals.org.dept_b, state=FollowState.ASSIGNED, version=cluster.version,
    )  # fmt: skip
    cluster_note_add(actor=office, cluster=cluster, text="已召开专题会，区商务局牵头梳理审批事项")
    with pytest.raises(PermissionDenied):
        cluster_note_add(actor=approvals.people.reviewer, cluster=cluster, text="x")
    assert AuditEntry.objects.filter(action__in=["cluster.update", "cluster.note"]).count() == 2
    again = ProblemCluster.objects.get(run=_analyse(office, approvals.campaign))
    assert (again.name, again.district_wide, again.owner_id, again.state) == (
        "审批环节多、材料重复提交",
        True,
        approvals.org.dept_b.pk,
        FollowState.ASSIGNED,
    )


def test_labelled_sample_quality_at_the_chosen_threshold():
    rows = [r.split("\t") for r in SAMPLE.read_text(encoding="utf-8").splitlines() if r and r[0] != "#"]
    truth = np.array([int(g) for g, _ in rows])
    pred = cluster_texts([t for _, t in rows])
    same_t = (truth[:, None] == truth[None, :]) & (truth[:, None] != 0)
    same_p = (pred[:, None] == pred[None, :]) & (pred[:, None] != -1)
    upper = np.triu(np.ones_like(same_t), 1)
    tp, fp, fn = ((a & b & upper).sum() for a, b in ((same_t, same_p), (~same_t, same_p), (same_t, ~same_p)))
    assert (round(tp / (tp + fp), 3), round(tp / (tp + fn), 3)) == (0.984, 0.802)  # decisions.md
    assert len(rows) == 251 and len(set(truth)) - 1 == 22
