"""Render a form field as a Bootstrap control, keeping what was typed and marking errors.

Checkbox lists and radio buttons are rendered with their own templates: Django's puts the
widget's class on the wrapping <div> as well as on every <input>, so `form-check-input`
(1em wide, floated) shrank the whole 对照内容 list into a column one character wide that ran
below the form's buttons. Here the wrapper is a wrapping flex row (`.zf-choices`) and each
option a Bootstrap `.form-check` with its label beside the box.
"""

import copy

from django import forms, template

register = template.Library()

CHOICE_LISTS = (forms.CheckboxSelectMultiple, forms.RadioSelect)


@register.filter
def bs(field):
    widget = field.field.widget
    if isinstance(widget, CHOICE_LISTS):
        return _choice_list(field)
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    existing = widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{existing} {css}".strip()})


def _choice_list(field):
    widget = copy.copy(field.field.widget)
    widget.attrs = {k: v for k, v in widget.attrs.items() if k != "class"}
    widget.template_name = "core/widgets/choices.html"
    widget.option_template_name = "core/widgets/choice_option.html"
    css = "form-check-input is-invalid" if field.errors else "form-check-input"
    return field.as_widget(widget=widget, attrs={"class": css})


@register.filter
def is_checkbox(field) -> bool:
    """A single yes/no box: laid out box-then-label (`.form-check`), not label-above-control."""
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def is_choice_list(field) -> bool:
    return isinstance(field.field.widget, CHOICE_LISTS)
