import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuxiong_portal.settings")
application = get_wsgi_application()
# Import the URLconf, and with it every view module, now rather than on the first request: with gunicorn's
# preload_app (deploy/gunicorn.conf.py) this happens once in the master and every worker forks with it done.
_url_patterns = get_resolver().url_patterns
# Then move everything loaded so far (Django, every module, the URLconf: a hundred thousand objects) out of the
# garbage collector's reach, as the gc module's documentation advises before forking workers: a full collection in
# a worker no longer walks them (70 ms on these machines, every few of a province's dashboard renders), and the
# pages they sit in stay shared with the master rather than copied when the collector touches them.
gc.freeze()
