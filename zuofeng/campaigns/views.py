"""Campaign pages: every signed-in role may read the campaign and download its blank forms."""

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import render

from zuofeng.accounts.permissions import may
from zuofeng.campaigns import selectors
from zuofeng.documents.docx import award_form_docx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _require_view(request) -> None:
    if not may(request.user, "campaign.view"):
        raise PermissionDenied


@login_required
def campaign_list(request):
    _require_view(request)
    campaigns = selectors.campaign_list()
    return render(request, "campaigns/list.html", {"campaigns": campaigns})


@login_required
def campaign_detail(request, slug):
    _require_view(request)
    campaign = selectors.campaign_get(slug=slug)
    return render(request, "campaigns/detail.html", selectors.campaign_detail(campaign=campaign))


@login_required
def award_form(request, slug, key):
    """The blank 申报表 as a Word file, named like the attachment it is."""
    _require_view(request)
    award = selectors.award_with_form(campaign=selectors.campaign_get(slug=slug), key=key)
    number = award.form.get("attachment")
    filename = f"{'附件' + str(number) + '：' if number else ''}{award.form['title']}.docx"
    return FileResponse(
        io.BytesIO(award_form_docx(award.form)), as_attachment=True, filename=filename, content_type=DOCX
    )
