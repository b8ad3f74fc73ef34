"""我的提醒: the user's reminders, newest first; marking one read (htmx or a plain form)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from zuofeng.core.paging import page_or_404
from zuofeng.reminders import selectors
from zuofeng.reminders.models import Reminder
from zuofeng.reminders.services import reminder_mark_read

PER_PAGE = 30


@login_required
@require_GET
def reminder_list(request):
    unread_only = request.GET.get("unread") == "1"
    reminders = selectors.reminder_list(user=request.user, unread_only=unread_only)
    page = page_or_404(Paginator(reminders, PER_PAGE), request.GET.get("page"))
    context = {"page": page, "unread_only": unread_only, "unread": selectors.unread_count(user=request.user)}
    return render(request, "reminders/list.html", context)


@login_required
@require_POST
def reminder_read(request, pk: int):
    """Mark read; with go=1 continue to the reminder's page (local links only)."""
    try:
        reminder = selectors.reminder_get(user=request.user, pk=pk)
    except Reminder.DoesNotExist:
        raise Http404
    reminder_mark_read(user=request.user, reminder=reminder)
    if request.POST.get("go") == "1" and url_has_allowed_host_and_scheme(
        reminder.link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(reminder.link)
    if request.headers.get("HX-Request"):
        return render(request, "reminders/_row.html", {"r": reminder, "oob_badge": True})
    return redirect("reminders:list")
