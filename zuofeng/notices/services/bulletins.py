"""通报 and 曝光: the office writes a bulletin, fills its items (from the nomination results, or typed),
chooses field by field what the public page may show, publishes and withdraws."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zuofeng.accounts.permissions import may
from zuofeng.audit.models import AuditResult
from zuofeng.audit.services import audit_record
from zuofeng.nominations.models import Nomination, NominationState
from zuofeng.notices.models import BULLETIN_FIELDS, Bulletin, BulletinItem, BulletinKind, BulletinState
from zuofeng.notices.workflow import bulletin_transition

# Where a nomination's printed name and text are on the award forms (campaigns/wujin-2018.yaml).
NOMINATION_TEXT_KEYS = ("main_text", "practice", "results")


def _require(actor, obj=None) -> None:
    if not may(actor, "bulletin.manage", obj):
        audit_record(actor=actor, action="bulletin.manage", obj=obj, result=AuditResult.DENIED)
        raise PermissionDenied("只有作风办可以发布通报。")


def _draft(bulletin: Bulletin) -> None:
    if bulletin.state != BulletinState.DRAFT:
        raise ValidationError("通报已曝光，不能再修改；如需更正，请撤回后另发一份。")


def bulletin_create(*, actor, kind: str, title: str, text: str = "", campaign=None) -> Bulletin:
    _require(actor)
    errors = {}
    if kind not in BulletinKind.values:
        errors["kind"] = "请选择通报表扬或通报批评。"
    if not (title or "").strip():
        errors["title"] = "请填写标题。"
    elif len(title) > 200:
        errors["title"] = "标题不能超过 200 个字。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        bulletin = Bulletin.objects.create(
            kind=kind, title=title.strip(), text=(text or "").strip(), campaign=campaign, created_by=actor
        )
        audit_record(actor=actor, action="bulletin.create", obj=bulletin, after={"kind": kind, "title": bulletin.title})
    return bulletin


def bulletin_item_add(
    *, actor, bulletin: Bulletin, unit: str, heading: str, text: str, person: str = ""
) -> BulletinItem:
    """A typed item (通报批评: an inspection finding or a decision, in the office's words)."""
    _require(actor, bulletin)
    _draft(bulletin)
    errors = {}
    if not (unit or "").strip():
        errors["unit"] = "请填写单位。"
    if not (text or "").strip():
        errors["text"] = "请填写内容。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        item = BulletinItem.objects.create(
            bulletin=bulletin,
            order=bulletin.items.count() + 1,
            unit=unit.strip()[:200],
            heading=(heading or "").strip()[:200],
            person=(person or "").strip()[:50],
            text=text.strip(),
        )
        audit_record(actor=actor, action="bulletin.item_add", obj=bulletin, after={"item": item.pk, "unit": item.unit})
    return item


def bulletin_items_from_results(*, actor, bulletin: Bulletin, nominations: list[Nomination]) -> list[BulletinItem]:
    """通报表扬 from the nomination results: only nominations 入选 can be praised."""
    _require(actor, bulletin)
    _draft(bulletin)
    if any(n.state != NominationState.SELECTED for n in nominations):
        raise ValidationError({"nominations": "只能通报表扬已入选的申报。"})
    created = []
    with transaction.atomic():
        for n in nominations:
            data = n.data or {}
            text = next((data[k] for k in NOMINATION_TEXT_KEYS if data.get(k)), "")
            created.append(
                BulletinItem.objects.create(
                    bulletin=bulletin,
                    order=bulletin.items.count() + 1,
                    nomination=n,
                    unit=n.unit.name,
                    heading=n.award.name,
                    person=str(data.get("name", ""))[:50] if n.award.kind == "individual" else "",
                    phone=str(data.get("phone", ""))[:50],
                    text=str(text),
                )
            )
        audit_record(
            actor=actor, action="bulletin.item_add", obj=bulletin, after={"nominations": [n.pk for n in nominations]}
        )
    return created


def bulletin_publish(*, actor, bulletin: Bulletin, released: dict[int, list[str]]) -> Bulletin:
    """曝光: store what each item may show (field by field), then publish; the audit entry lists it."""
    _require(actor, bulletin)
    _draft(bulletin)
    items = {i.pk: i for i in bulletin.items.all()}
    if not items:
        raise ValidationError({"released": "通报还没有事项。"})
    unknown = [f for fields in released.values() for f in fields if f not in BULLETIN_FIELDS]
    if unknown or set(released) - set(items):
        raise ValidationError({"released": "公开的栏目不正确。"})
    if not any(released.get(pk) for pk in items):
        raise ValidationError({"released": "请至少选择一个公开的栏目。"})
    with transaction.atomic():
        for pk, item in items.items():
            item.released = [f for f in BULLETIN_FIELDS if f in released.get(pk, [])]
            item.save(update_fields=["released"])
        return bulletin_transition(actor=actor, bulletin=bulletin, to=BulletinState.PUBLISHED)


def bulletin_withdraw(*, actor, bulletin: Bulletin) -> Bulletin:
    _require(actor, bulletin)
    return bulletin_transition(actor=actor, bulletin=bulletin, to=BulletinState.WITHDRAWN)
