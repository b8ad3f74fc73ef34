"""The public statistics page (no login): cases received, dispatched, concluded, the on-time rate, and
satisfaction by unit (replies, and the newest 满意度测评) — a unit's figures only from the minimum count up."""

from django.shortcuts import render

from zuofeng.campaigns.selectors import campaign_current
from zuofeng.complaints.selectors.stats import public_stats
from zuofeng.complaints.selectors.survey import survey_latest_published


def stats(request):
    period, survey = survey_latest_published()
    context = {"s": public_stats(campaign_current()), "period": period, "survey": survey}
    return render(request, "complaints/public/stats.html", context)
