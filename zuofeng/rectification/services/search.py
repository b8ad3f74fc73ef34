"""Chinese search text: character bigrams of what a person would search for.

Chinese has no spaces between words, so a word index finds nothing; instead every item keeps
`search_bigrams`, the overlapping two-character pieces of its text ("推诿扯皮" → "推诿 诿扯 扯皮"),
with single characters standing alone kept as they are. A two-character term is then one
token, and a longer term is all of its bigrams. Runs of letters and digits are kept whole
(lower-cased) so "12345" or "ABC" stay findable; they are never glued to Chinese characters,
because PostgreSQL's text parser would split such a token differently from the query.
"""

import re

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{_CJK}]+|[0-9A-Za-z]+")
_CJK_ONLY = re.compile(rf"^[{_CJK}]+$")


def bigrams(*texts: str) -> str:
    """Space-separated distinct tokens, in first-seen order."""
    seen: dict[str, None] = {}
    for text in texts:
        for run in _RUNS.findall(text or ""):
            if not _CJK_ONLY.match(run):
                seen.setdefault(run.lower(), None)
            elif len(run) == 1:
                seen.setdefault(run, None)
            else:
                for i in range(len(run) - 1):
                    seen.setdefault(run[i : i + 2], None)
    return " ".join(seen)


def is_cjk_term(term: str) -> bool:
    return len(term) >= 2 and bool(_CJK_ONLY.match(term))


def problem_bigrams(problem) -> str:
    return bigrams(problem.description, problem.source_detail)


def measure_bigrams(measure) -> str:
    person = measure.responsible_person.name if measure.responsible_person_id else ""
    return bigrams(
        measure.text, measure.standard, measure.responsible_leader, measure.responsible_name, person, measure.remark
    )


# --- SQLite: an FTS5 index over search_bigrams ---------------------------------------------------
# PostgreSQL has its GIN index (migration 0003). SQLite gets an external-content FTS5 table kept in
# step by triggers. They are (re)made after every migrate rather than in a migration, because
# Django's SQLite schema editor rebuilds a table to alter it and the rebuild drops its triggers.
FTS_TABLES = {"rectification_problem": "rect_problem_fts", "rectification_measure": "rect_measure_fts"}


def sqlite_search_index_ensure(connection) -> bool:
    """Create the FTS5 tables and triggers that are missing; rebuild an index that lacked any. True if built."""
    if connection.vendor != "sqlite":
        return False
    built = False
    with connection.cursor() as cursor:
        for table, fts in FTS_TABLES.items():
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
            triggers = {row[0] for row in cursor.fetchall()}
            if {f"{fts}_ai", f"{fts}_ad", f"{fts}_au"} <= triggers:
                continue
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5(search_bigrams, content='{table}', "
                f"content_rowid='id', tokenize='unicode61 remove_diacritics 0')"
            )
            cursor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts}_vocab USING fts5vocab({fts}, 'row')")
            # Table names come from FTS_TABLES above, never from input.
            insert = f"INSERT INTO {fts}(rowid, search_bigrams) VALUES (new.id, new.search_bigrams);"  # noqa: S608
            delete = f"INSERT INTO {fts}({fts}, rowid, search_bigrams) VALUES ('delete', old.id, old.search_bigrams);"  # noqa: S608
            cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN {insert} END")
            cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN {delete} END")
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF search_bigrams ON {table} "
                f"BEGIN {delete} {insert} END"
            )
            cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")  # noqa: S608
            built = True
    return built


def fts_query(term: str) -> str:
    """An FTS5 query asking for every bigram of a Chinese term (quoted: bigrams contain no quote)."""
    return " ".join(f'"{gram}"' for gram in bigrams(term).split())
