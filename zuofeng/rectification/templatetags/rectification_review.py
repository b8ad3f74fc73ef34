"""Tags for the review partials, so any page can include them with just a ledger or a measure."""

from django import template

from zuofeng.rectification.selectors.review import ledger_history, measure_changes

register = template.Library()


@register.simple_tag
def ledger_events(ledger):
    return ledger_history(ledger=ledger)


@register.simple_tag
def measure_change_requests(measure):
    return measure_changes(measure=measure)
