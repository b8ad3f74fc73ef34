"""Reads of notices: the office's list (drafts and issued), a unit's inbox, one notice."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from zuofeng.accounts.permissions import ALL, may, visible_unit_ids
from zuofeng.notices.models import Notice, NoticeState


def notice_list(*, user) -> QuerySet[Notice]:
    """The office sees every notice with its signing counts; others the issued ones sent to units they see."""
    qs = Notice.objects.annotate(
        copies=Count("deliveries"),
        acknowledged=Count("deliveries", filter=Q(deliveries__acknowledged_at__isnull=False)),
    )
    if may(user, "notice.manage"):
        return qs
    ids = visible_unit_ids(user)
    qs = qs.filter(state=NoticeState.ISSUED)
    if ids is ALL:
        return qs
    return qs.filter(pk__in=Notice.objects.filter(deliveries__unit_id__in=ids or []).values("pk"))


def notice_get(*, user, pk: int) -> Notice:
    notice = get_object_or_404(Notice.objects.select_related("campaign", "issued_by__person"), pk=pk)
    if not may(user, "notice.view", notice):
        raise PermissionDenied("您无权查看该通知。")
    return notice
