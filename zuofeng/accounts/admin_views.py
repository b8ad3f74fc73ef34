# Placeholder views; replaced by the account-management work in this issue.
from django.http import HttpResponse


def user_list(request):
    return HttpResponse("")


def user_create(request):
    return HttpResponse("")


def user_detail(request, pk):
    return HttpResponse("")
