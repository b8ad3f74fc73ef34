"""通报 and 曝光: the office writes a bulletin, fills its items (from the nomination results, from
confirmed inspection findings and decided accountability cases, or typed), chooses field by field
what may leave the office, and either publishes it (曝光, the public page) and withdraws it, or sends
it internally (内部通报): a notice issued to the chosen units, who sign for it like any notice."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zuofeng.accounts.permissions import may
from zuofeng.audit.models import AuditResult
from zuofeng.audit.services import audit_record
from zuofeng.core import clock
from zuofeng.nominations.models import Nomination, NominationState
from zuofeng.notices.models import (
    BULLETIN_FIELDS,
    PERSONAL_FIELDS,
    Bulletin,
    BulletinItem,
    BulletinKind,
    BulletinScope,
    BulletinState,
    Notice,
)
from zuofeng.notices.settings import notice_settings
from zuofeng.notices.workflow import bulletin_transition, notice_transition
from zuofeng.organisation.models import Unit
from zuofeng.supervision.models import AccountabilityCase, CaseState, Finding, FindingState

# Where a nomination's printed name and text are on the award forms (campaigns/wujin-2018.yaml).
NOMINATION_TEXT_KEYS = ("main_text", "practice", "results")


def _require(actor, obj=None) -> None:
    if not may(actor, "bulletin.manage", obj):
        audit_record(actor=actor, action="bulletin.manage", obj=obj, result=AuditResult.DENIED)
        raise PermissionDenied("只有作风办可以发布通报。")


def _draft(bulletin: Bulletin) -> None:
    if bulletin.state != BulletinState.DRAFT:
        raise ValidationError("通报已曝光，不能再修改；如需更正，请撤回后另发一份。")


def bulletin_create(
    *, actor, kind: str, title: str, text: str = "", campaign=None, scope: str = BulletinScope.PUBLIC
) -> Bulletin:
    _require(actor)
    errors = {}
    if kind not in BulletinKind.values:
        errors["kind"] = "请选择通报表扬或通报批评。"
    if scope not in BulletinScope.values:
        errors["scope"] = "请选择曝光或内部通报。"
    elif scope == BulletinScope.INTERNAL and campaign is None:
        errors["scope"] = "内部通报以专项活动的发文机关印发，请先设置当前专项活动。"
    if not (title or "").strip():
        errors["title"] = "请填写标题。"
    elif len(title) > 200:
        errors["title"] = "标题不能超过 200 个字。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        bulletin = Bulletin.objects.create(
            kind=kind, scope=scope, title=title.strip(), text=(text or "").strip(), campaign=campaign, created_by=actor
        )
        audit_record(
            actor=actor,
            action="bulletin.create",
            obj=bulletin,
            after={"kind": kind, "scope": scope, "title": bulletin.title},
        )
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


def _measure_names(campaign) -> dict[str, str]:
    measures = ((campaign.definition or {}).get("supervision") or {}).get("accountability_measures") or []
    return {m["key"]: m["name"] for m in measures}


def bulletin_items_from_supervision(
    *, actor, bulletin: Bulletin, findings: list[Finding] = (), cases: list[AccountabilityCase] = ()
) -> list[BulletinItem]:
    """通报批评 from supervision: confirmed inspection findings and decided accountability cases.

    The items copy what the office already sees (cases are the office's and the subject unit
    leader's only); the subject's name is copied but, like every field, leaves the office only
    when released at publishing or sending.
    """
    _require(actor, bulletin)
    _draft(bulletin)
    errors = {}
    if bulletin.kind != BulletinKind.CRITICISM:
        errors["findings"] = "督查发现和问责决定只能编入通报批评。"
    elif not findings and not cases:
        errors["findings"] = "请选择已确认的督查发现或已作出决定的问责案件。"
    elif any(f.state != FindingState.CONFIRMED for f in findings):
        errors["findings"] = "只能通报已确认的督查发现。"
    elif any(c.state != CaseState.DECIDED for c in cases):
        errors["cases"] = "只能通报已作出问责决定的案件。"
    if errors:
        raise ValidationError(errors)
    created = []
    with transaction.atomic():
        order = bulletin.items.count()
        for f in findings:
            order += 1
            heading = f"督查发现（{f.found_on.isoformat()}）"
            created.append(
                BulletinItem.objects.create(
                    bulletin=bulletin, order=order, finding=f, unit=f.unit.name, heading=heading, text=f.text
                )
            )
        for c in cases:
            order += 1
            measure = _measure_names(c.campaign).get(c.measure, "问责")
            decided = f"（{c.deciding_body}{c.doc_number}）" if c.deciding_body or c.doc_number else ""
            created.append(
                BulletinItem.objects.create(
                    bulletin=bulletin,
                    order=order,
                    case=c,
                    unit=c.unit.name,
                    heading=f"问责决定：{measure}"[:200],
                    person=(c.person.name if c.person_id else "")[:50],
                    text=f"{c.facts}{decided}",
                )
            )
        audit_record(
            actor=actor,
            action="bulletin.item_add",
            obj=bulletin,
            after={"findings": [f.pk for f in findings], "cases": [c.pk for c in cases]},
        )
    return created


def _release(bulletin: Bulletin, released: dict[int, list[str]]) -> dict:
    """Check and store what each item may show outside the office; refused before anything is saved."""
    items = {i.pk: i for i in bulletin.items.all()}
    if not items:
        raise ValidationError({"released": "通报还没有事项。"})
    unknown = [f for fields in released.values() for f in fields if f not in BULLETIN_FIELDS]
    if unknown or set(released) - set(items):
        raise ValidationError({"released": "公开的栏目不正确。"})
    if not any(released.get(pk) for pk in items):
        raise ValidationError({"released": "请至少选择一个公开的栏目。"})
    return items


def _store_release(items: dict, released: dict[int, list[str]]) -> None:
    for pk, item in items.items():
        item.released = [f for f in BULLETIN_FIELDS if f in released.get(pk, [])]
        item.save(update_fields=["released"])


def bulletin_publish(*, actor, bulletin: Bulletin, released: dict[int, list[str]]) -> Bulletin:
    """曝光: store what each item may show (field by field), then publish; the audit entry lists it."""
    _require(actor, bulletin)
    _draft(bulletin)
    if bulletin.scope != BulletinScope.PUBLIC:
        raise ValidationError({"released": "内部通报不在公开页面曝光，请选择单位印发。"})
    items = _release(bulletin, released)
    with transaction.atomic():
        _store_release(items, released)
        return bulletin_transition(actor=actor, bulletin=bulletin, to=BulletinState.PUBLISHED)


CN_NUMBERS = "一二三四五六七八九十"


def bulletin_body(bulletin: Bulletin, *, preview: bool = False) -> str:
    """The bulletin as a notice's typed text: its words, then each item's released fields only
    (`preview`, for a draft: the fields released by default, never a name or phone)."""
    default = [f for f in BULLETIN_FIELDS if f not in PERSONAL_FIELDS]
    lines = [bulletin.text] if bulletin.text else []
    items = [(i, default if preview else i.released) for i in bulletin.items.all()]
    for index, (item, released) in enumerate((i, r) for i, r in items if r):
        label = CN_NUMBERS[index] if index < len(CN_NUMBERS) else str(index + 1)
        head = "：".join(getattr(item, f) for f in ("unit", "heading") if f in released and getattr(item, f))
        lines.append(f"{label}、{head or '通报事项'}")
        if "text" in released and item.text:
            lines.append(item.text)
        for field in ("person", "phone"):
            if field in released and getattr(item, field):
                lines.append(f"{BULLETIN_FIELDS[field]}：{getattr(item, field)}")
    return "\n".join(lines)


def bulletin_send(*, actor, bulletin: Bulletin, released: dict[int, list[str]], unit_ids: list[int]) -> Bulletin:
    """内部通报: the released fields become a notice issued to the chosen units in the same transaction,
    so 签收, 催办 (one-click and daily) and the 未签收 table are the notice's own."""
    _require(actor, bulletin)
    _draft(bulletin)
    if bulletin.scope != BulletinScope.INTERNAL:
        raise ValidationError({"units": "曝光的通报在公开页面发布，不送单位签收。"})
    items = _release(bulletin, released)
    if not unit_ids:
        raise ValidationError({"units": "请选择接收通报的单位。"})
    units = list(Unit.objects.filter(pk__in=set(unit_ids), is_active=True))
    if len(units) != len(set(unit_ids)):
        raise ValidationError({"units": "所选单位不存在或已停用。"})
    campaign = bulletin.campaign
    today = clock.today()
    with transaction.atomic():
        _store_release(items, released)
        notice = Notice.objects.create(
            campaign=campaign,
            issuer=campaign.issuer,
            number_prefix=notice_settings(campaign).number_prefix or "作风",
            title=bulletin.title,
            addressees_text="、".join(u.name for u in sorted(units, key=lambda u: u.sort_key)) + "：",
            body=bulletin_body(bulletin),
            signed_on=today,
            printed_by=campaign.printed_by or campaign.issuer,
            created_by=actor,
        )
        notice.addressees.set(units)
        notice = notice_transition(actor=actor, notice=notice, to="issued")
        Bulletin.objects.filter(pk=bulletin.pk).update(notice=notice)
        bulletin.notice = notice
        sent = bulletin_transition(actor=actor, bulletin=bulletin, to=BulletinState.SENT)
    return sent


def bulletin_withdraw(*, actor, bulletin: Bulletin) -> Bulletin:
    _require(actor, bulletin)
    return bulletin_transition(actor=actor, bulletin=bulletin, to=BulletinState.WITHDRAWN)
