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


def _table(rows: list) -> str:
    return "<table>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows) + "</table>"


# The units a leader reviews: those put under a unit they lead, or children of one with no reviewer set.
_REVIEWED = (
    "WITH led AS (SELECT unit_id FROM accounts_roleassignment WHERE user_id = %s AND role = 'unit_leader') "
    "SELECT id FROM organisation_unit WHERE reviewer_id IN (SELECT unit_id FROM led) "
    "OR (reviewer_id IS NULL AND parent_id IN (SELECT unit_id FROM led))"
)


def review(request, user_id: int):
    """A leader's queue: submitted lists with their unreviewed item counts, pending change requests and
    close-out requests of the units they review, oldest first (at most 500 of each)."""
    units = [row[0] for row in _rows(_REVIEWED, [user_id])] or [0]
    among = f"IN ({', '.join(['%s'] * len(units))})"  # SQLite has no = ANY(array)
    lists = _rows(
        "SELECT l.id, u.name, l.submitted_at, (SELECT count(*) FROM rectification_problem p "  # noqa: S608 - only placeholders formatted in
        "WHERE p.ledger_id = l.id AND p.review = 'pending') FROM rectification_ledger l "
        f"JOIN organisation_unit u ON u.id = l.unit_id WHERE l.state = 'submitted' AND l.unit_id {among} "
        "ORDER BY l.submitted_at, l.id",
        units,
    )
    changes = _rows(
        "SELECT c.id, u.name, m.text, c.reason, c.created_at FROM rectification_changerequest c "  # noqa: S608 - only placeholders formatted in
        "JOIN rectification_measure m ON m.id = c.measure_id JOIN organisation_unit u ON u.id = m.unit_id "
        f"WHERE c.state = 'pending' AND m.unit_id {among} ORDER BY c.created_at, c.id LIMIT 500",
        units,
    )
    closes = _rows(
        "SELECT m.id, u.name, m.text, m.updated_at FROM rectification_measure m "  # noqa: S608 - only placeholders formatted in
        "JOIN organisation_unit u ON u.id = m.unit_id "
        f"WHERE m.state = 'close_requested' AND m.unit_id {among} ORDER BY m.updated_at, m.id LIMIT 500",
        units,
    )
    return HttpResponse(_table(lists) + _table(changes) + _table(closes))


def red_lights(request):
    """The dashboard's red-light drill-down: open red measures in official unit order, first page of 50,
    with the count capped at 10,000 as the product's."""
    rows = _rows(
        "SELECT m.id, u.name, p.description, m.text, m.responsible_leader, m.deadline, m.state "
        "FROM rectification_measure m JOIN organisation_unit u ON u.id = m.unit_id "
        "JOIN rectification_problem p ON p.id = m.problem_id WHERE m.light = 'red' AND m.state <> 'closed' "
        'ORDER BY u.sort_key, p."order", p.id, m."order", m.id LIMIT 50',
        [],
    )
    (count,) = _rows(
        "SELECT count(*) FROM (SELECT 1 FROM rectification_measure WHERE light = 'red' AND state <> 'closed' "
        "LIMIT 10001) capped",
        [],
    )
    return HttpResponse(f"<p>{count[0]}</p>" + _table(rows))


def nothing(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("dashboard", dashboard),
    path("ledger/<int:pk>", ledger),
    path("search", search),
    path("json", nothing),
    path("review/<int:user_id>", review),
    path("items/red", red_lights),
]
