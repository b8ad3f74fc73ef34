"""Loading a campaign definition file into the database (专项活动载入).

The whole file is read and checked before the first write, and every write happens in one
transaction, so a refused file leaves nothing half-loaded. Rows are matched by `key`: a changed
file updates them in place, keys that disappeared are deactivated (never deleted) so problems,
nominations and other data attached to them survive.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone

from zuofeng.accounts.permissions import may
from zuofeng.audit.services import audit_record
from zuofeng.campaigns import models as m
from zuofeng.campaigns.loader import read_definition, shift_years
from zuofeng.campaigns.schema import CampaignDef

LIST_LABELS = {
    "phases": "阶段",
    "milestones": "时间节点",
    "categories": "中梗阻类别",
    "symptoms": "具体表现",
    "benchmarks": "对照内容",
    "sources": "问题来源",
    "tasks": "主要任务",
    "key_areas": "攻坚重点",
    "awards": "奖项",
}


@dataclass
class ListChanges:
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    total: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deactivated)


@dataclass
class LoadResult:
    campaign: m.Campaign
    created: bool
    year_shift: int
    campaign_fields: list[str] = field(default_factory=list)
    lists: dict[str, ListChanges] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.created or bool(self.campaign_fields) or any(c.changed for c in self.lists.values())

    def summary(self) -> list[str]:
        """Lines for the command and the audit detail, in Chinese."""
        c = self.campaign
        name = f"专项活动「{c.title}」（{c.slug}）"
        if not self.changed:
            return [f"{name}未变化。"]
        lines = [f"已新建{name}。" if self.created else f"已更新{name}。"]
        if self.year_shift:
            lines.append(f"年份平移 {self.year_shift:+d} 年（{c.year - self.year_shift} → {c.year}）。")
        if self.campaign_fields and not self.created:
            verbose = [m.Campaign._meta.get_field(f).verbose_name for f in self.campaign_fields]
            lines.append("活动信息变化：" + "、".join(str(v) for v in verbose))
        for name_, changes in self.lists.items():
            label = LIST_LABELS[name_]
            if self.created:
                lines.append(f"{label}：{changes.total} 项")
            elif changes.changed:
                lines.append(f"{label}：新增 {changes.created}，更新 {changes.updated}，停用 {changes.deactivated}")
        if c.is_default:
            lines.append("当前为默认活动。")
        return lines


def campaign_load(*, path: str | Path, year: int | None = None, make_default: bool = False, actor=None) -> LoadResult:
    """Load or reload one definition file. `year` moves every date by (year − the file's year).

    `actor` is None when run from the command line; a signed-in person needs "campaign.manage".
    Raises loader.CampaignFileError (Chinese, naming file and field) when the file is refused.
    """
    if actor is not None and not may(actor, "campaign.manage"):
        raise PermissionDenied
    source = read_definition(path)
    shift = 0 if year is None else year - source.definition.year
    definition: CampaignDef = shift_years(source.definition, shift)
    with transaction.atomic():
        campaign = m.Campaign.objects.select_for_update().filter(slug=definition.slug).first()
        created = campaign is None
        before = None if created else _audit_snapshot(campaign)
        values = _campaign_values(definition, shift)
        values.update(source_file=source.label, source_sha256=source.sha256, year_shift=shift, definition=source.raw)
        if created:
            campaign = m.Campaign(**values)
            changed_fields = list(values)
        else:
            changed_fields = [name for name, value in values.items() if getattr(campaign, name) != value]
            for name in changed_fields:
                setattr(campaign, name, values[name])
        before_default = campaign.is_default
        if make_default or not m.Campaign.objects.filter(is_default=True).exclude(pk=campaign.pk).exists():
            # Clear the old default first: the database allows only one at a time.
            m.Campaign.objects.filter(is_default=True).exclude(pk=campaign.pk).update(is_default=False)
            campaign.is_default = True
        if campaign.is_default != before_default and not created:
            changed_fields.append("is_default")
        if created or changed_fields:
            campaign.save()
        result = LoadResult(campaign=campaign, created=created, year_shift=shift, campaign_fields=changed_fields)
        _sync_lists(campaign, definition, result)
        if result.changed:
            audit_record(
                actor=actor,
                action="campaign.load",
                obj=campaign,
                before=before,
                after={
                    **_audit_snapshot(campaign),
                    "changed": changed_fields,
                    "lists": {name: vars(changes) for name, changes in result.lists.items()},
                },
                detail="；".join(result.summary()),
                username="" if actor else "（命令行）",
            )
    return result


def _audit_snapshot(campaign: m.Campaign) -> dict:
    # The file's hash stands for its content; the raw definition is too large for the trail.
    return {
        "source_file": campaign.source_file,
        "source_sha256": campaign.source_sha256,
        "year": campaign.year,
        "year_shift": campaign.year_shift,
        "is_default": campaign.is_default,
    }


def _campaign_values(d: CampaignDef, shift: int) -> dict:
    notice, opinion = d.notice, d.opinion
    preamble = [{"number": "", "title": "", "paragraphs": [opinion.preamble], "items": []}] if opinion.preamble else []
    return {
        "slug": d.slug,
        "year": d.year + shift,
        "title": d.title,
        "short_title": d.short_title,
        "doc_number": notice.doc_number,
        "notice_title": notice.title,
        "issuer": notice.issuer,
        "issued_on": notice.issued_on,
        "printed_by": notice.printed.by if notice.printed else "",
        "printed_on": notice.printed.on if notice.printed else None,
        "forwarded_by": notice.forwarded.by if notice.forwarded else "",
        "forwarded_on": notice.forwarded.on if notice.forwarded else None,
        "recipients": list(notice.recipients),
        "notice_body": notice.body,
        "opinion_title": opinion.title,
        "opinion_body": preamble + [s.model_dump() for s in opinion.sections],
        "scope": d.scope,
        "contact": d.contact.model_dump(),
        "settings": {**d.settings.model_dump(), "record_awards": d.record_awards.model_dump()},
    }


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return timezone.make_aware(value, zoneinfo.ZoneInfo(settings.TIME_ZONE))


def _sync_lists(campaign: m.Campaign, d: CampaignDef, result: LoadResult) -> None:
    def sync(name: str, model: type[models.Model], rows: list[dict]) -> dict[str, int]:
        changes, ids = _sync(model, campaign, rows)
        result.lists[name] = changes
        return ids

    phase_ids = sync("phases", m.Phase, [p.model_dump() for p in d.phases])
    sync(
        "milestones",
        m.Milestone,
        [
            {**ms.model_dump(exclude={"phase"}), "phase_id": phase_ids.get(ms.phase) if ms.phase else None}
            for ms in d.milestones
        ],
    )
    category_ids = sync("categories", m.ObstructionCategory, [c.model_dump() for c in d.categories])
    sync(
        "symptoms",
        m.Symptom,
        [{**s.model_dump(exclude={"category"}), "category_id": category_ids[s.category]} for s in d.symptoms],
    )
    sync("benchmarks", m.Benchmark, [b.model_dump() for b in d.benchmarks])
    sync("sources", m.ProblemSource, [s.model_dump() for s in d.sources])
    sync("tasks", m.MainTask, [t.model_dump() for t in d.tasks])
    sync("key_areas", m.KeyArea, [k.model_dump() for k in d.key_areas])
    sync("awards", m.Award, [_award_values(a) for a in d.awards])


def _award_values(award) -> dict:
    values = award.model_dump(exclude={"quota", "deadline", "form"})
    values.update(
        quota_min=award.quota.min,
        quota_max=award.quota.max,
        deadline=_aware(award.deadline),
        form=award.form.model_dump() if award.form else {},
    )
    return values


def _sync(model: type[models.Model], campaign: m.Campaign, rows: list[dict]) -> tuple[ListChanges, dict[str, int]]:
    """Upsert rows by key in file order; deactivate the ones whose key left the file."""
    existing = {obj.key: obj for obj in model.objects.select_for_update().filter(campaign=campaign)}
    changes = ListChanges(total=len(rows))
    ids: dict[str, int] = {}
    for order, row in enumerate(rows, start=1):
        values = {k: ("" if v is None and _is_text(model, k) else v) for k, v in row.items()}
        values.update(order=order, is_active=True)
        obj = existing.pop(values["key"], None)
        if obj is None:
            obj = model.objects.create(campaign=campaign, **values)
            changes.created += 1
        else:
            dirty = [name for name, value in values.items() if getattr(obj, name) != value]
            if dirty:
                for name in dirty:
                    setattr(obj, name, values[name])
                obj.save(update_fields=dirty)
                changes.updated += 1
        ids[obj.key] = obj.pk
    for obj in existing.values():
        if obj.is_active:
            obj.is_active = False
            obj.save(update_fields=["is_active"])
            changes.deactivated += 1
    return changes, ids


def _is_text(model: type[models.Model], name: str) -> bool:
    return isinstance(model._meta.get_field(name), models.CharField | models.TextField)
