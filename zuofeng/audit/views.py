# Placeholder; replaced by the audit work in this issue.
from django.http import HttpResponse


def entry_list(request):
    return HttpResponse("")
