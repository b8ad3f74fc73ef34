import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zuofeng.settings")
application = get_wsgi_application()


def _warm() -> None:
    """Build now what Django otherwise builds on a worker's first request: the URL conf with every
    app's views and the API (its reverse tables took ~1 s), and zuofeng's compiled templates. The
    first person after a restart no longer waits for it, and it is loaded before gc.freeze below."""
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 - populating it imports and indexes every URL module
    if settings.DEBUG:
        return  # templates are not cached with DEBUG on
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    roots += [Path(c.path) / "templates" for c in apps.get_app_configs() if c.name.startswith("zuofeng.")]
    for root in roots:
        for path in sorted(root.rglob("*.html")):
            get_template(path.relative_to(root).as_posix())


_warm()
# Everything loaded at start-up lives as long as the worker. Moving it out of the collector's view
# keeps full garbage collections short, which otherwise add ~100 ms to one request in twenty.
gc.collect()
gc.freeze()
