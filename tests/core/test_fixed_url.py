"""{% fixed_url %} and {% fixed_static %} give exactly what {% url %} and {% static %} give."""

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("home", ()),
        ("accounts:logout", ()),
        ("rectification:ledger_detail", (7,)),
        ("rectification:ledger_detail", (123456,)),
        ("rectification:ledger_problem_edit", (12, 3)),
        ("rectification:dashboard_word", (42,)),
    ],
)
def test_fixed_url_equals_url(name, args):
    names = " ".join(f"a{i}" for i in range(len(args)))
    drawn = Template(f"{{% load nav %}}{{% fixed_url '{name}' {names} %}}").render(
        Context({f"a{i}": arg for i, arg in enumerate(args)})
    )
    assert drawn == reverse(name, args=args)


def test_a_script_prefix_is_its_own_shape():
    template = Template("{% load nav %}{% fixed_url 'rectification:ledger_detail' 5 %}")
    assert template.render(Context()) == "/rectification/ledgers/5/"
    set_script_prefix("/zf/")
    try:
        assert template.render(Context()) == "/zf/rectification/ledgers/5/"
    finally:
        set_script_prefix("/")
    assert template.render(Context()) == "/rectification/ledgers/5/"


@pytest.mark.parametrize("path", ["zuofeng/app.css", "vendor/htmx/htmx.min.js", "rectification/ledger.js"])
def test_fixed_static_equals_static(path):
    drawn = Template(f"{{% load nav static %}}{{% fixed_static '{path}' %}}|{{% static '{path}' %}}").render(Context())
    fixed, plain = drawn.split("|")
    assert fixed == plain
