"""曝光: the public pages, without login. Only published bulletins, only the released fields."""

from django.shortcuts import render

from zuofeng.notices.selectors.bulletins import public_bulletin, public_bulletins


def index(request):
    return render(request, "notices/public/list.html", {"bulletins": public_bulletins()})


def detail(request, pk: int):
    bulletin, rows = public_bulletin(pk)
    return render(request, "notices/public/detail.html", {"bulletin": bulletin, "rows": rows})
