"""Exports of the 整改台账: small ones written straight into the response, large ones by a background task.

A large export is an ExportJob row (progress for the progress bar, the file for its requester
only) and a django-tasks task that writes the sheet chunk by chunk into private storage.
"""

import logging
import os

from django.core.exceptions import PermissionDenied
from django.db import transaction

from zuofeng.accounts.models import User
from zuofeng.accounts.permissions import may
from zuofeng.audit.services import audit_record
from zuofeng.campaigns.models import Campaign
from zuofeng.core import clock
from zuofeng.core.cn import cn_date
from zuofeng.core.jobs import job_beat, job_claim, job_fail, job_finish, job_workdir
from zuofeng.rectification.exports import ledger_xlsx_write
from zuofeng.rectification.models import ExportJob, ExportState
from zuofeng.rectification.selectors.dashboard import Scope, dashboard_scope
from zuofeng.rectification.selectors.export import ledger_export_measures, ledger_export_records

log = logging.getLogger(__name__)

DIRECT_LIMIT = 2000  # below this many rows the file is written while the person waits
PROGRESS_EVERY = 2000


LISTS_ALL, LISTS_APPROVED = "all", "approved"
# The export page's choice, printed in the sheet's title row so a printed copy says what it holds.
LISTS = {LISTS_ALL: "全部清单", LISTS_APPROVED: "仅审核通过的清单"}


def ledger_export_title(*, campaign: Campaign, lists: str = "") -> str:
    title = f"{campaign.short_title or campaign.title}整改台账"
    return f"{title}（{LISTS[lists]}）" if lists in LISTS else title


def ledger_export_subtitle(*, scope: Scope) -> str:
    where = scope.root.name if scope.root is not None else "全部可见单位"
    return f"范围：{where}　　导出日期：{cn_date(clock.today())}"


def ledger_export_filename(*, scope: Scope, suffix: str = "xlsx") -> str:
    where = scope.root.display_name if scope.root is not None else "全区"
    return f"{where}整改台账（{cn_date(clock.today())}）.{suffix}"


def _require(actor, scope: Scope) -> None:
    if not may(actor, "ledger.view") or (scope.root is not None and not may(actor, "ledger.view", scope.root)):
        raise PermissionDenied("您无权导出该范围的整改台账。")


def ledger_export_direct(*, actor, scope: Scope, target, lists: str = LISTS_ALL) -> int:
    """Write the sheet into `target` now (for small exports); returns the number of rows."""
    _require(actor, scope)
    detail = f"{ledger_export_subtitle(scope=scope)}　　{LISTS[lists]}"
    audit_record(actor=actor, action="ledger.export", obj=scope.root, detail=detail)
    records = ledger_export_records(ledger_export_measures(scope=scope, approved_only=lists == LISTS_APPROVED))
    return ledger_xlsx_write(
        target=target,
        title=ledger_export_title(campaign=scope.campaign, lists=lists),
        subtitle=ledger_export_subtitle(scope=scope),
        records=records,
    )


@transaction.atomic
def ledger_export_request(*, actor, scope: Scope, total: int, lists: str = LISTS_ALL) -> ExportJob:
    """Queue a background export; the task starts only after this transaction commits."""
    _require(actor, scope)
    job = ExportJob.objects.create(
        requested_by=actor,
        params={
            "campaign": scope.campaign.pk,
            "root": scope.root.pk if scope.root is not None else None,
            "lists": lists,
        },
        total=total,
        file_name=ledger_export_filename(scope=scope),
    )
    audit_record(actor=actor, action="ledger.export", obj=scope.root, detail=f"后台导出任务 {job.pk}")
    from zuofeng.rectification.tasks.export import ledger_export_run

    transaction.on_commit(lambda: ledger_export_run.enqueue(job.pk))
    return job


def _progress(job_id: int):
    def report(done: int) -> None:
        job_beat(ExportJob, job_id, done=done)

    return report


def ledger_export_execute(*, job_id: int) -> int:
    """Body of the background task: write the file, recording progress; returns the number of rows.

    The sheet is written inside the job's work folder and moved into place when complete
    (zuofeng/core/jobs.py), so a worker killed half-way leaves no file to download.
    """
    if not job_claim(ExportJob, job_id):
        return ExportJob.objects.get(pk=job_id).done
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    workdir = job_workdir(ExportJob, job.pk)
    part = os.path.join(workdir, "ledger.xlsx")
    try:
        actor: User = job.requested_by
        # Scope is decided again now: a person who lost access meanwhile gets nothing more.
        scope = _job_scope(actor=actor, params=job.params)
        lists = job.params.get("lists", LISTS_ALL)
        measures = ledger_export_measures(scope=scope, approved_only=lists == LISTS_APPROVED)
        job_beat(ExportJob, job.pk, total=measures.count())
        count = ledger_xlsx_write(
            target=part,
            title=ledger_export_title(campaign=scope.campaign, lists=lists),
            subtitle=ledger_export_subtitle(scope=scope),
            records=ledger_export_records(measures),
            on_progress=_progress(job.pk),
            every=PROGRESS_EVERY,
            tmpdir=workdir,
        )
    except Exception as error:
        log.exception("ledger export %s failed", job.pk)
        job_fail(ExportJob, job.pk, error=f"导出失败：{error}")
        return 0
    name = f"exports/{clock.today():%Y/%m}/ledger-{job.pk}.xlsx"
    return count if job_finish(ExportJob, job.pk, part=part, name=name, count=count) else 0


def _job_scope(*, actor, params: dict) -> Scope:
    scope = dashboard_scope(
        user=actor,
        campaign=Campaign.objects.get(pk=params["campaign"]),
        root_id=params.get("root"),
        action="ledger.view",
    )
    _require(actor, scope)
    return scope


def ledger_export_retry(*, actor, job: ExportJob) -> ExportJob:
    """重新生成: a new job with the same conditions, checked against the person's access today."""
    if job.requested_by_id != actor.pk or job.state not in (ExportState.FAILED, ExportState.EXPIRED):
        raise PermissionDenied("只能重新生成本人已失败或已删除的导出。")
    scope = _job_scope(actor=actor, params=job.params)
    return ledger_export_request(actor=actor, scope=scope, total=ledger_export_measures(scope=scope).count())
