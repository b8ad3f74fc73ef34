"""Reading re-inspections (回头看) and the 纸面销号 each unit has been found with."""

from django.db.models import Count, QuerySet

from zuofeng.accounts.models import Role
from zuofeng.accounts.permissions import scope_to_units
from zuofeng.accounts.roles import has_role
from zuofeng.supervision.models import RecheckItem, RecheckSample, Verdict


def samples_visible(*, user) -> QuerySet[RecheckSample]:
    samples = RecheckSample.objects.all()
    if has_role(user, Role.OFFICE):
        return samples
    if has_role(user, Role.INSPECTOR):
        return samples.filter(team=user)
    return samples.none()


def sample_visible(*, user, pk: int) -> RecheckSample:
    return samples_visible(user=user).get(pk=pk)


def sample_items(*, sample: RecheckSample) -> QuerySet[RecheckItem]:
    return sample.items.select_related("measure__problem", "unit", "finding", "checked_by")


def item_visible(*, user, pk: int) -> RecheckItem:
    return RecheckItem.objects.select_related("sample", "measure", "finding").get(
        pk=pk, sample__in=samples_visible(user=user)
    )


def paper_closures(*, user, campaign) -> dict[int, int]:
    """纸面销号 per unit (measures found not fixed on re-inspection), for the units the user may see."""
    items = scope_to_units(user, RecheckItem.objects.filter(sample__campaign=campaign, verdict=Verdict.NOT_FIXED))
    return dict(items.values_list("unit").annotate(n=Count("id")).order_by())


def paper_closure_items(*, campaign, until) -> QuerySet[RecheckItem]:
    """Every unit's 纸面销号 checked by `until` (a datetime), for the year-end computation, which scores all
    units at once (it runs for the office; the breakdown pages check who may see what)."""
    return RecheckItem.objects.filter(
        sample__campaign=campaign, verdict=Verdict.NOT_FIXED, checked_at__lte=until
    ).order_by("pk")
