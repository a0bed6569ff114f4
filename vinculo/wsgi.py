"""WSGI entry point."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vinculo.settings")
application = get_wsgi_application()
# What start-up created (modules, URLs, templates) lives as long as the process: moved out
# of the collector's sight, it is not rescanned by every full collection, which otherwise
# adds ~80 ms to one request in ten on a dashboard (bench/dashboards.py).
gc.freeze()
