import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zuofeng.settings")
application = get_wsgi_application()

# Everything loaded at start-up lives as long as the worker. Moving it out of the collector's view
# keeps full garbage collections short, which otherwise add ~100 ms to one request in twenty.
gc.collect()
gc.freeze()
