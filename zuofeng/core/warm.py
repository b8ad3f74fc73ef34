"""What Django otherwise builds on a process's first request, built ahead of it."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template.loader import get_template
from django.urls import get_resolver


def process_warm() -> None:
    """Build the URL conf with every app's views and the API (its reverse tables took ~1 s), and
    compile zuofeng's templates. Called by a gunicorn worker before it accepts a connection
    (zuofeng/wsgi.py) and by the browser tests' live server, whose first page otherwise took 12 s
    of a loaded machine's time — longer than a test waits for a page."""
    get_resolver().reverse_dict  # noqa: B018 - populating it imports and indexes every URL module
    if settings.DEBUG:
        return  # templates are not cached with DEBUG on
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    roots += [Path(c.path) / "templates" for c in apps.get_app_configs() if c.name.startswith("zuofeng.")]
    for root in roots:
        for path in sorted(root.rglob("*.html")):
            get_template(path.relative_to(root).as_posix())
