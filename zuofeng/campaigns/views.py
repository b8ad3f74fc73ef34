# Placeholder; replaced by the campaign work in this issue.
from django.http import HttpResponse


def campaign_list(request):
    return HttpResponse("")


def campaign_detail(request, slug):
    return HttpResponse("")
