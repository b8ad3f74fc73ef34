"""Chinese search over problems and measures, scoped to visible units, paged by keyset.

Each list is ordered by id (the order items were recorded) and paged with `id > after`, so page 50
costs what page 1 costs: no OFFSET walks over the rows before it. A Chinese term of two or more
characters is looked up in the bigram index (GIN on PostgreSQL, FTS5 on SQLite); a two-character
term is exactly one bigram, so the index answer is the answer. Longer terms are re-checked with a
contains filter (their bigrams could sit apart); other terms (digits, latin, one character) scan.

Counts are exact up to EXACT_UP_TO; past it they are estimates ("约 1.2 万条") from the planner on
PostgreSQL or the FTS5 vocabulary on SQLite, because counting every match of a common term costs
as much as reading them all. A one-page answer is counted from the page itself.
"""

import datetime as dt
import json
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet

from zuofeng.accounts.permissions import ALL, scope_to_units, visible_unit_ids
from zuofeng.campaigns.models import Campaign
from zuofeng.core.cn import cn_date
from zuofeng.rectification.models import Measure, Problem
from zuofeng.rectification.services.search import FTS_TABLES, bigrams, fts_query, is_cjk_term

PAGE_SIZE = 20
EXACT_UP_TO = 1000
# An estimate this many times the threshold is trusted without counting: the bounded count of a
# common term (1,001 rows re-checked) costs ~35 ms on the city-scale bench; the estimate under 1 ms.
SURELY_MORE = 5
MAX_TERMS = 5
KINDS = ("problem", "measure")
_FIELDS = {
    "problem": ["description", "source_detail"],
    "measure": ["text", "standard", "responsible_leader", "responsible_name", "responsible_person__name", "remark"],
}


def count_label(count: int, estimated: bool) -> str:
    """共 12 条 / 约 3500 条 / 约 1.2 万条 / 1000 条以上 (when no estimate is to be had)."""
    if not estimated:
        return f"共 {count} 条"
    if count <= EXACT_UP_TO + 1:  # past the exact count, but no estimate above it
        return f"{EXACT_UP_TO} 条以上"
    if count >= 10_000:
        wan = count / 10_000
        text = f"{wan:.0f}" if wan >= 10 else f"{wan:.1f}".removesuffix(".0")
        return f"约 {text} 万条"
    return f"约 {round(count, -(len(str(count)) - 2))} 条"


@dataclass(slots=True)
class ProblemHit:
    """A problem as a result row shows it."""

    pk: int
    ledger_id: int
    unit: str  # display name
    category: str
    description: str


@dataclass(slots=True)
class MeasureHit:
    """A measure as a result row shows it; `texts` are where its snippet is looked for, in order."""

    pk: int
    ledger_id: int
    unit: str
    texts: tuple[str, ...]  # text, standard, responsible leader, responsible name, remark
    deadline: dt.date | None
    is_ongoing: bool
    light: str

    @property
    def deadline_label(self) -> str:
        return "长期坚持" if self.is_ongoing else cn_date(self.deadline)


@dataclass
class SearchPage:
    kind: str
    items: list = field(default_factory=list)
    after: int | None = None  # the cursor this page started from
    next_after: int | None = None  # the cursor of the next page; None on the last one
    count: int = 0
    estimated: bool = False

    @property
    def count_label(self) -> str:
        return count_label(self.count, self.estimated)


@dataclass
class SearchResult:
    terms: list[str]
    problems: SearchPage
    measures: SearchPage


def search_terms(q: str) -> list[str]:
    return [t for t in (q or "").split() if t][:MAX_TERMS]


def _base(user, kind: str, campaign: Campaign) -> QuerySet:
    rows = (
        Problem.objects.filter(ledger__campaign=campaign)
        if kind == "problem"
        else Measure.objects.filter(campaign=campaign)
    )
    return scope_to_units(user, rows)


class BigramMatch(Func):
    """True where the row's search_bigrams hold every bigram of a Chinese term, through the index.

    An expression, not .extra(): compiled columns carry the alias of the query they are in, so the
    match stays correct inside the page's id subquery. PostgreSQL: the GIN index's own expression
    (migration 0003_search_bigram_index), so the planner uses it. SQLite: the FTS5 table.
    """

    output_field = BooleanField()

    def __init__(self, term: str, table: str):
        super().__init__(F("search_bigrams"), F("pk"))
        self.term, self.table = term, table

    def as_postgresql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return f"to_tsvector('simple', {column}) @@ plainto_tsquery('simple', %s)", (*params, bigrams(self.term))

    def as_sqlite(self, compiler, connection, **extra):
        pk, params = compiler.compile(self.source_expressions[1])
        fts = FTS_TABLES[self.table]  # our own table name, never input
        return f"{pk} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)", (*params, fts_query(self.term))  # noqa: S608


def _matching(queryset: QuerySet, kind: str, terms: list[str]) -> QuerySet:
    indexing = connection.vendor in ("postgresql", "sqlite")
    for term in terms:
        indexed = indexing and is_cjk_term(term)
        if indexed:
            queryset = queryset.filter(BigramMatch(term, queryset.model._meta.db_table))
        if indexed and len(term) == 2:
            continue  # one bigram: the index lookup is exact
        text_q = Q()
        for name in _FIELDS[kind]:
            text_q |= Q(**{f"{name}__icontains": term})
        queryset = queryset.filter(text_q)
    return queryset


def _estimate(queryset: QuerySet, user, terms: list[str]) -> int | None:
    """Rows the query would return, without reading them; None when nothing sensible is known.

    Only for Chinese terms, which go through the bigram index: its statistics are good (planner
    37,760 for 37,826 rows of 每月), while contains scans are guessed at a fixed selectivity."""
    if not all(is_cjk_term(t) for t in terms):
        return None
    if connection.vendor == "postgresql":
        plan = json.loads(queryset.order_by().explain(format="json"))
        return int((plan[0] if isinstance(plan, list) else plan)["Plan"]["Plan Rows"])
    grams = [g for t in terms for g in bigrams(t).split()]
    if connection.vendor != "sqlite" or visible_unit_ids(user) is not ALL:
        return None  # the vocabulary counts every unit's rows; for a narrower scope it would mislead
    fts = FTS_TABLES[queryset.model._meta.db_table]
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(grams))
        cursor.execute(f"SELECT MIN(doc) FROM {fts}_vocab WHERE term IN ({marks})", grams)  # noqa: S608 - own table
        (docs,) = cursor.fetchone()
    return docs  # every bigram must match, so the rarest one's row count bounds the answer


def search_page(
    *, user, q: str, campaign: Campaign | None, kind: str, after: int | None = None, size: int = PAGE_SIZE
) -> SearchPage:
    """One page of `kind` ("problem" or "measure") matching every term of q, after the cursor `after`."""
    page, matches = _searched(user=user, q=q, campaign=campaign, kind=kind, after=after)
    if matches is None:
        return page
    terms = search_terms(q)
    if after is None:
        _first_pages([(page, matches)], user, terms, size)
        return page
    if not _read_in_order(page, matches.filter(pk__gt=after), size):
        return page
    estimate = _estimate(matches, user, terms)
    if estimate is not None and estimate > SURELY_MORE * EXACT_UP_TO:
        page.count, page.estimated = estimate, True  # far past the threshold: not even a bounded count
        return page
    page.count = matches.order_by().values("pk")[: EXACT_UP_TO + 1].count()
    if page.count > EXACT_UP_TO:
        page.count, page.estimated = max(estimate or 0, page.count), True
    return page


def _first_pages(found: list[tuple[SearchPage, QuerySet]], user, terms: list[str], size: int) -> None:
    """The first pages' rows and bounded counts in one statement; the planner only past the threshold.

    Per list, up to EXACT_UP_TO + 1 matches are read in any order (the index's), counted with a
    window, the smallest `size` + 1 ids kept and their rows joined: when they are all the matches,
    those are the first page. Both lists go in one statement (UNION ALL), one round trip; the page,
    the estimate, the bounded count and the rows were four queries per list. Past the threshold the
    subset is not the first page: the page is read in id order, which the planner answers by walking
    the primary key until `size` + 1 match, and the count is the planner's estimate."""
    parts, params = [], []
    for page, matches in found:
        subset = matches.order_by().values(hit=F("pk"))[: EXACT_UP_TO + 1]
        try:
            sql, subset_params = subset.query.sql_with_params()
        except EmptyResultSet:  # scoped to no unit at all
            continue
        counted = f"SELECT hit AS id, COUNT(*) OVER () AS n FROM ({sql}) matched ORDER BY 1 LIMIT %s"  # noqa: S608
        parts.append(f"SELECT * FROM ({_ROWS[page.kind].format(page=counted)}) {page.kind}s")  # noqa: S608
        params += [*subset_params, size + 1]
    rows = _run(" UNION ALL ".join(parts), params) if parts else []
    for page, matches in found:
        mine = [row for row in rows if row[0] == page.kind]
        counted = mine[0][-1] if mine else 0
        if counted <= EXACT_UP_TO:
            _fill(page, mine, size)
            page.count = counted
            continue
        _read_in_order(page, matches, size)
        page.count, page.estimated = max(_estimate(matches, user, terms) or 0, counted), True


def _read_in_order(page: SearchPage, matches: QuerySet, size: int) -> bool:
    """The page's rows in id order, in one query; False when the scope holds no unit at all."""
    ordered = matches.order_by("pk").values(hit=F("pk"))[: size + 1]
    try:
        sql, params = ordered.query.sql_with_params()
    except EmptyResultSet:
        return False
    page_sql = f"SELECT hit AS id, NULL AS n FROM ({sql}) ordered"  # noqa: S608 - the ORM's
    _fill(page, _run(_ROWS[page.kind].format(page=page_sql), params), size)
    return True


# The shown columns of the page's ids, joined only to those ids: joining before the limit made the
# planner hash every unit and list of the campaign for a page of twenty. `page` yields id and n (the
# count). Both kinds have the same columns (typed NULLs where a kind has none), so that the first
# pages of both can be one UNION ALL: kind, id, list, unit's short name and name, category,
# description or measure, standard, leader, person, remark, deadline, ongoing, light, count.
_ROWS = {
    "problem": (
        "SELECT 'problem' AS kind, p.id, p.ledger_id, u.short_name, u.name, c.name AS category, p.description,"
        " CAST(NULL AS text), CAST(NULL AS text), CAST(NULL AS text), CAST(NULL AS text), CAST(NULL AS date),"
        " CAST(NULL AS boolean), CAST(NULL AS text), page.n"
        " FROM ({page}) page JOIN rectification_problem p ON p.id = page.id"
        " JOIN organisation_unit u ON u.id = p.unit_id"
        " JOIN campaigns_obstructioncategory c ON c.id = p.category_id"
    ),
    "measure": (
        "SELECT 'measure' AS kind, m.id, pr.ledger_id, u.short_name, u.name, CAST(NULL AS text), m.text,"
        " m.standard, m.responsible_leader, m.responsible_name, m.remark, m.deadline, m.is_ongoing, m.light, page.n"
        " FROM ({page}) page JOIN rectification_measure m ON m.id = page.id"
        " JOIN rectification_problem pr ON pr.id = m.problem_id JOIN organisation_unit u ON u.id = m.unit_id"
    ),
}


def _run(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted(cursor.fetchall(), key=lambda row: row[1])  # id order (a UNION ALL keeps none)


def _hit(row: tuple) -> ProblemHit | MeasureHit:
    kind, pk, ledger_id, short_name, name, category, text, *more, deadline, is_ongoing, light, _n = row
    if kind == "problem":
        return ProblemHit(pk, ledger_id, short_name or name, category, text)
    if isinstance(deadline, str):  # SQLite returns dates as text
        deadline = dt.date.fromisoformat(deadline)
    return MeasureHit(pk, ledger_id, short_name or name, (text, *more), deadline, bool(is_ongoing), light)


def _fill(page: SearchPage, rows: list[tuple], size: int) -> None:
    """The page's rows (the first `size`); the cursor when more follow."""
    page.items = [_hit(row) for row in rows[:size]]
    if len(rows) > size:
        page.next_after = page.items[-1].pk


def _searched(
    *, user, q: str, campaign: Campaign | None, kind: str, after: int | None
) -> tuple[SearchPage, QuerySet | None]:
    """The empty page and the query of its matches; None when there is nothing to search."""
    if kind not in KINDS:
        raise ValueError(kind)
    terms = search_terms(q)
    page = SearchPage(kind=kind, after=after)
    if not terms or campaign is None:
        return page, None
    return page, _matching(_base(user, kind, campaign), kind, terms)


def ledger_search(*, user, q: str, campaign: Campaign | None, size: int = PAGE_SIZE) -> SearchResult:
    """The first page of problems and of measures, read together."""
    found = [_searched(user=user, q=q, campaign=campaign, kind=kind, after=None) for kind in KINDS]
    terms = search_terms(q)
    _first_pages([(page, matches) for page, matches in found if matches is not None], user, terms, size)
    return SearchResult(terms=terms, problems=found[0][0], measures=found[1][0])
