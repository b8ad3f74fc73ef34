"""Walking the hash chain (审计链校验): the first broken link, named for a person to act on."""

from dataclasses import dataclass

from zuofeng.audit.hashing import GENESIS, HASHED_FIELDS, entry_hash
from zuofeng.audit.models import AuditEntry, AuditHead

BATCH = 2000


class Break:
    EDITED = "edited"
    MISSING_BEFORE = "missing_before"
    RELINKED = "relinked"
    TAIL_MISSING = "tail_missing"


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    broken_id: int | None = None
    reason: str = ""

    @property
    def message(self) -> str:
        if self.ok:
            return f"审计链完整：共 {self.count} 条"
        return {
            Break.EDITED: f"第 {self.broken_id} 条记录内容被修改（哈希不符）",
            Break.MISSING_BEFORE: f"第 {self.broken_id} 条记录之前缺少记录（链接断开，疑似删除）",
            Break.RELINKED: f"第 {self.broken_id} 条记录与前一条的链接不符（前一条记录疑似被改写）",
            Break.TAIL_MISSING: "最新记录缺失（链尾与链头不符）",
        }[self.reason]


def audit_verify(*, batch_size: int = BATCH) -> VerifyResult:
    """Recompute every hash in id order, reading in batches so memory stays flat."""
    previous_id, previous_hash, count = 0, GENESIS, 0
    rows = AuditEntry.objects.order_by("id").values(*HASHED_FIELDS, "hash").iterator(chunk_size=batch_size)
    for row in rows:
        entry_id = row["id"]
        if entry_hash(row) != row["hash"]:
            return VerifyResult(ok=False, count=count, broken_id=entry_id, reason=Break.EDITED)
        if row["prev_hash"] != previous_hash:
            # Ids are handed out one by one under the head lock, so a gap means rows were removed;
            # without a gap the previous row was rewritten and its hash recomputed to hide it.
            reason = Break.MISSING_BEFORE if entry_id != previous_id + 1 else Break.RELINKED
            return VerifyResult(ok=False, count=count, broken_id=entry_id, reason=reason)
        previous_id, previous_hash, count = entry_id, row["hash"], count + 1
    head = AuditHead.objects.filter(pk=1).first()
    head_state = (head.last_id, head.last_hash, head.count) if head else (0, GENESIS, 0)
    if head_state != (previous_id, previous_hash, count):
        return VerifyResult(ok=False, count=count, reason=Break.TAIL_MISSING)
    return VerifyResult(ok=True, count=count)


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
