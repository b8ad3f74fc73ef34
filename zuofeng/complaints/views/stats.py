"""The public statistics page (no login): cases received, dispatched, concluded, the on-time rate, and
satisfaction by unit — a unit's figures only from the minimum number of ratings up."""

from django.shortcuts import render

from zuofeng.campaigns.selectors import campaign_current
from zuofeng.complaints.selectors.stats import public_stats


def stats(request):
    return render(request, "complaints/public/stats.html", {"s": public_stats(campaign_current())})
