"""The shared field rendering (includes/field.html + the `bs` filter) gives Bootstrap markup that lays out.

Django's checkbox-list template puts the widget's class on the wrapping <div> as well as on each
box, so `form-check-input` (1em wide, floated) made the 对照内容 list a one-character column that
ran below the 保存 button. The wrapper must carry no control class; each option is a `.form-check`.
"""

import lxml.html
from django import forms
from django.template.loader import render_to_string

CHOICES = [("a", "中央、省委及市委对武进高质量发展新要求"), ("b", "企业、基层、群众期盼诉求")]


class Sample(forms.Form):
    benchmarks = forms.MultipleChoiceField(label="对照内容", choices=CHOICES, widget=forms.CheckboxSelectMultiple)
    decision = forms.ChoiceField(label="审核结果", choices=[("ok", "通过"), ("back", "退回")], widget=forms.RadioSelect)
    ongoing = forms.BooleanField(label="长期坚持", required=False)
    name = forms.CharField(label="姓名")


def rendered(form, name):
    return lxml.html.fromstring(render_to_string("includes/field.html", {"field": form[name]}))


def test_checkbox_list_wrapper_is_a_choice_row_not_a_checkbox():
    html = rendered(Sample(initial={"benchmarks": ["b"]}), "benchmarks")
    wrapper = html.get_element_by_id("id_benchmarks")
    assert wrapper.get("class") == "zf-choices"
    assert wrapper.get("aria-labelledby") == "id_benchmarks-label"
    assert html.get_element_by_id("id_benchmarks-label").text_content().strip() == "对照内容 *"
    options = wrapper.find_class("form-check")
    assert [o.find("label").text_content() for o in options] == [label for _, label in CHOICES]
    boxes = [o.find("input") for o in options]
    assert [(b.get("type"), b.get("class"), b.get("value")) for b in boxes] == [
        ("checkbox", "form-check-input", "a"),
        ("checkbox", "form-check-input", "b"),
    ]
    assert [b.get("checked") is not None for b in boxes] == [False, True]
    assert [o.find("label").get("for") for o in options] == ["id_benchmarks_0", "id_benchmarks_1"]


def test_radio_buttons_render_the_same_way_and_mark_errors():
    form = Sample(data={"decision": "maybe"})
    html = rendered(form, "decision")
    wrapper = html.get_element_by_id("id_decision")
    assert wrapper.get("class") == "zf-choices"
    assert [i.get("class") for i in wrapper.iter("input")] == ["form-check-input is-invalid"] * 2
    assert "选择一个有效的选项" in html.find_class("invalid-feedback")[0].text_content()


def test_single_checkbox_sits_beside_its_label():
    html = rendered(Sample(), "ongoing")
    assert html.get("class") == "mb-3 form-check"
    assert html.find("input").get("class") == "form-check-input"
    assert html.find("label").get("class") == "form-check-label"


def test_text_field_keeps_label_above_control():
    html = rendered(Sample(data={"name": "王晓明"}), "name")
    assert html.find("label").get("for") == "id_name"
    assert html.find("input").get("class") == "form-control"
    assert html.find("input").get("value") == "王晓明"
