"""One view per product page measured, each doing that page's essential query in raw SQL."""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import path


def _rows(sql: str, params: list) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def dashboard(request):
    """The 2-aggregate dashboard: measures by state and by light over the whole campaign."""
    states = _rows("SELECT state, COUNT(*) FROM rectification_measure GROUP BY state", [])
    lights = _rows("SELECT light, COUNT(*) FROM rectification_measure GROUP BY light", [])
    return JsonResponse({"states": dict(states), "lights": dict(lights)})


def ledger(request, pk: int):
    """One unit's list: its problems with their measures, in order."""
    rows = _rows(
        "SELECT p.id, p.description, m.id, m.text, m.responsible_leader, m.deadline, m.state, m.light, m.percent "
        "FROM rectification_problem p JOIN rectification_measure m ON m.problem_id = p.id "
        'WHERE p.ledger_id = %s ORDER BY p."order", m."order"',
        [pk],
    )
    body = "".join(f"<tr><td>{r[1]}</td><td>{r[3]}</td><td>{r[5]}</td><td>{r[7]}</td></tr>" for r in rows)
    return HttpResponse(f"<table>{body}</table>")


def search(request):
    """Problems whose description contains the term (a plain LIKE scan), first page of 20."""
    term = request.GET.get("q", "")
    rows = _rows(
        "SELECT id, description FROM rectification_problem WHERE description LIKE %s ORDER BY id LIMIT 20",
        [f"%{term}%"],
    )
    return JsonResponse({"results": [{"id": r[0], "description": r[1]} for r in rows]})


def nothing(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("dashboard", dashboard),
    path("ledger/<int:pk>", ledger),
    path("search", search),
    path("json", nothing),
]
