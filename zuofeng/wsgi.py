import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zuofeng.settings")
application = get_wsgi_application()

from zuofeng.core.warm import process_warm  # noqa: E402 - needs the apps set up above

# The first person after a restart no longer waits for the URL conf and the templates, and they
# are loaded before gc.freeze below.
process_warm()
# Everything loaded at start-up lives as long as the worker. Moving it out of the collector's view
# keeps full garbage collections short, which otherwise add ~100 ms to one request in twenty.
gc.collect()
gc.freeze()
