"""WSGI entry point for benchmarks: the product with ``bench.settings``."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
application = get_wsgi_application()
gc.freeze()  # as vinculo/wsgi.py does
