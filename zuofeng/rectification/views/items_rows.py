"""The rows of the dashboard's drill-down list, drawn as strings.

One format string per row instead of a template loop with an {% include %} per light badge: 50 rows
cost ~2/3 of the page's drawing through the template engine. The output is what the template drew.
"""

import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from zuofeng.rectification.models import Light, MeasureState

# the columns the rows show (Scope.measures with the unit and problem selected)
FIELDS = (
    "id",
    "light",
    "text",
    "deadline",
    "is_ongoing",
    "state",
    "unit__id",
    "unit__name",
    "unit__short_name",
    "unit__path",
    "problem__id",
    "problem__description",
)
_BADGES = {
    Light.RED: "text-bg-danger",
    Light.YELLOW: "text-bg-warning",
    Light.GREEN: "text-bg-success",
    Light.CLOSED: "text-bg-secondary",
}
SHORT = 60
_LIGHTS = dict(Light.choices)
_STATES = dict(MeasureState.choices)
_ROW = (
    '<tr data-testid="item-row">\n'
    '    <td><span class="badge zf-light zf-light-{light} {badge}">{light_label}</span></td>\n'
    "    <td>{unit}</td>\n"
    "    <td>{problem}</td>\n"
    '    <td><a href="/rectification/measures/{pk}/">{text}</a></td>\n'
    "    <td>{deadline}</td>\n"
    "    <td>{state}</td>\n"
    "  </tr>\n"
)
EMPTY = '<tr><td colspan="6" class="text-muted">没有符合条件的整改措施。</td></tr>\n'


def _short(value: str) -> str:
    """The template's |truncatechars:60. Text of at most 60 code points is never cut (combining marks
    only count less), so Truncator, which looks up its translated ellipsis per call, is for longer."""
    if len(value) <= SHORT:
        return escape(unicodedata.normalize("NFC", value))
    return escape(Truncator(value).chars(SHORT))


def items_rows_html(measures) -> SafeString:
    """The table body of one page of measures, their units qualified (organisation.units_qualify)."""
    rows = [
        _ROW.format(
            light=escape(m.light),
            badge=_BADGES.get(m.light, "text-bg-light border"),
            light_label=escape(_LIGHTS.get(m.light, m.light)),
            unit=escape(m.unit.qualified_name),
            problem=_short(m.problem.description),
            pk=m.pk,
            text=_short(m.text),
            deadline=escape(m.deadline_label),
            state=escape(_STATES.get(m.state, m.state)),
        )
        for m in measures
    ]
    # every value is a number, a fixed label or escaped
    return mark_safe("".join(rows) or EMPTY)
