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
