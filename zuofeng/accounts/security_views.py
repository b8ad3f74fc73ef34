# Placeholder; replaced by the security-policy work in this issue.
from django.http import HttpResponse


def security_policy(request):
    return HttpResponse("")
