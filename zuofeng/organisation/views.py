# Placeholder; replaced by the organisation work in this issue.
from django.http import HttpResponse


def unit_list(request):
    return HttpResponse("")


def unit_detail(request, pk):
    return HttpResponse("")


def person_list(request):
    return HttpResponse("")


def import_view(request):
    return HttpResponse("")
