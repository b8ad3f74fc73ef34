"""Walking the hash chain (审计链校验): the first broken link, named for a person to act on.

Besides the links between entries, the chain is compared with the newest anchor written outside
the database (anchor.py): fewer entries than the anchor counted means the newest were cut off or
the trail was emptied; a different hash at the anchor's position means the chain was rebuilt.
"""

from dataclasses import dataclass

from zuofeng.audit.anchor import Anchor, anchor_label, anchor_latest
from zuofeng.audit.hashing import GENESIS, HASHED_FIELDS, SCHEME_SM3, entry_hash
from zuofeng.audit.models import AuditEntry, AuditHead

BATCH = 2000
_NOT_GIVEN = object()


class Break:
    EDITED = "edited"
    MISSING_BEFORE = "missing_before"
    RELINKED = "relinked"
    TAIL_MISSING = "tail_missing"
    DOWNGRADED = "downgraded"
    BELOW_ANCHOR = "below_anchor"
    ANCHOR_MISMATCH = "anchor_mismatch"
    ANCHOR_FORGED = "anchor_forged"


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    broken_id: int | None = None
    reason: str = ""
    last_id: int = 0
    last_hash: str = GENESIS
    anchor: Anchor | None = None

    @property
    def message(self) -> str:
        if self.ok:
            return f"审计链完整：共 {self.count} 条"
        anchor = self.anchor
        return {
            Break.EDITED: f"第 {self.broken_id} 条记录内容被修改（哈希不符）",
            Break.MISSING_BEFORE: f"第 {self.broken_id} 条记录之前缺少记录（链接断开，疑似删除）",
            Break.RELINKED: f"第 {self.broken_id} 条记录与前一条的链接不符（前一条记录疑似被改写）",
            Break.TAIL_MISSING: "最新记录缺失（链尾与链头不符）",
            Break.DOWNGRADED: (
                f"第 {self.broken_id} 条记录使用了无密钥的旧哈希方案，却排在有密钥的记录之后（疑似重算伪造）"
            ),
            Break.BELOW_ANCHOR: (
                f"审计日志只有 {self.count} 条，少于{anchor_label(anchor)}记录的 {anchor.count} 条"
                "（最新记录被截断或日志被清空）"
                if anchor
                else ""
            ),
            Break.ANCHOR_MISMATCH: (
                f"第 {anchor.last_id} 条记录与{anchor_label(anchor)}不符（审计链被改写或重算）" if anchor else ""
            ),
            Break.ANCHOR_FORGED: "锚点文件的最新一行校验不符（锚点文件被改动）",
        }[self.reason]


def audit_verify(*, batch_size: int = BATCH, anchor=_NOT_GIVEN) -> VerifyResult:
    """Recompute every hash in id order, reading in batches so memory stays flat; then check the anchor."""
    anchor = anchor_latest() if anchor is _NOT_GIVEN else anchor
    previous_id, previous_hash, count, keyed = 0, GENESIS, 0, False
    hash_at_anchor = None
    rows = AuditEntry.objects.order_by("id").values(*HASHED_FIELDS, "hash").iterator(chunk_size=batch_size)
    for row in rows:
        entry_id = row["id"]
        if row["scheme"] == SCHEME_SM3 and keyed:
            return VerifyResult(ok=False, count=count, broken_id=entry_id, reason=Break.DOWNGRADED)
        keyed = keyed or row["scheme"] != SCHEME_SM3
        if entry_hash(row) != row["hash"]:
            return VerifyResult(ok=False, count=count, broken_id=entry_id, reason=Break.EDITED)
        if row["prev_hash"] != previous_hash:
            # Ids are handed out one by one under the head lock, so a gap means rows were removed;
            # without a gap the previous row was rewritten and its hash recomputed to hide it.
            reason = Break.MISSING_BEFORE if entry_id != previous_id + 1 else Break.RELINKED
            return VerifyResult(ok=False, count=count, broken_id=entry_id, reason=reason)
        if anchor is not None and entry_id == anchor.last_id:
            hash_at_anchor = row["hash"]
        previous_id, previous_hash, count = entry_id, row["hash"], count + 1
    head = AuditHead.objects.filter(pk=1).first()
    head_state = (head.last_id, head.last_hash, head.count) if head else (0, GENESIS, 0)
    if head_state != (previous_id, previous_hash, count):
        return VerifyResult(ok=False, count=count, reason=Break.TAIL_MISSING)
    tail = {"count": count, "last_id": previous_id, "last_hash": previous_hash, "anchor": anchor}
    if anchor is not None:
        if not anchor.valid:
            return VerifyResult(ok=False, reason=Break.ANCHOR_FORGED, **tail)
        if count < anchor.count:
            return VerifyResult(ok=False, reason=Break.BELOW_ANCHOR, **tail)
        if anchor.count and hash_at_anchor != anchor.hash:
            return VerifyResult(ok=False, broken_id=anchor.last_id, reason=Break.ANCHOR_MISMATCH, **tail)
    return VerifyResult(ok=True, **tail)


def audit_chain_check(*, actor) -> VerifyResult:
    """Verify on an auditor's request; the check and its outcome go into the trail themselves."""
    from zuofeng.audit.models import AuditResult
    from zuofeng.audit.services import audit_access, audit_record

    audit_access(actor=actor, action="audit.verify", record_success=False)
    result = audit_verify()
    audit_record(
        actor=actor,
        action="audit.verify",
        result=AuditResult.SUCCESS if result.ok else AuditResult.FAILED,
        detail=result.message,
    )
    return result


def audit_anchor_daily() -> VerifyResult:
    """The daily job's part: verify; if whole, anchor the head outside the database and tell the
    audit administrators its numbers; if broken, alert them instead (and anchor nothing)."""
    from zuofeng.accounts.models import Role, User
    from zuofeng.audit.anchor import anchor_append
    from zuofeng.core import clock
    from zuofeng.reminders.models import ReminderKind
    from zuofeng.reminders.services import reminder_send

    result = audit_verify()
    auditors = User.objects.filter(is_active=True, role_assignments__role=Role.AUDIT_ADMIN).distinct()
    stamp = clock.now().strftime("%Y%m%d%H%M")
    if result.ok:
        anchor_append(count=result.count, last_id=result.last_id, last_hash=result.last_hash)
        reminder_send(
            recipients=auditors,
            kind=ReminderKind.NOTICE,
            title=f"审计链锚点：共 {result.count} 条",
            body=(
                f"今日校验审计链完整，链头为第 {result.last_id} 条，哈希 {result.last_hash}。"
                "已写入锚点文件；请另行抄录留存，以便日后核对。"
            ),
            dedupe_key=f"audit-anchor:{stamp}:{result.count}",
        )
    else:
        reminder_send(
            recipients=auditors,
            kind=ReminderKind.NOTICE,
            title="审计链校验失败",
            body=f"{result.message}。请立即核查数据库访问记录，并用 manage.py audit_verify 复核。",
            dedupe_key=f"audit-alert:{stamp}",
        )
    return result
