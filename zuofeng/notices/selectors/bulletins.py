"""Reads of 通报: the office's list, and the public page's — published, not withdrawn, released fields only."""

from django.db.models import QuerySet
from django.http import Http404

from zuofeng.notices.models import BULLETIN_FIELDS, Bulletin, BulletinState


def public_bulletins() -> QuerySet[Bulletin]:
    return Bulletin.objects.filter(state=BulletinState.PUBLISHED).order_by("-published_at", "-id")


def public_bulletin(pk: int) -> tuple[Bulletin, list[list[tuple[str, str]]]]:
    """The bulletin and, per item, (label, value) of the released fields only; a withdrawn one is a 404."""
    bulletin = public_bulletins().filter(pk=pk).first()
    if bulletin is None:
        raise Http404("该通报不存在或已撤回。")
    rows = []
    for item in bulletin.items.all():
        shown = [(BULLETIN_FIELDS[f], getattr(item, f)) for f in BULLETIN_FIELDS if f in item.released]
        if shown:
            rows.append(shown)
    return bulletin, rows
