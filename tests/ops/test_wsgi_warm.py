"""A gunicorn worker builds the URL conf and compiles every template when it starts, not on
somebody's first request (zuofeng/wsgi.py) — and a template that does not compile stops it there."""

from django.template import engines
from django.urls import get_resolver


def test_the_worker_starts_with_urls_and_templates_ready():
    import zuofeng.wsgi  # noqa: F401 - importing it warms the process
    from zuofeng.core.warm import process_warm

    process_warm()  # again: twice is harmless
    assert get_resolver()._populated
    loader = engines["django"].engine.template_loaders[0]
    assert type(loader).__name__ == "Loader" and loader.__module__ == "django.template.loaders.cached"
    assert {"base.html", "rectification/dashboard/_board.html"} <= set(loader.get_template_cache)
