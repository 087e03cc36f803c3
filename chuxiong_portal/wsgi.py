import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuxiong_portal.settings")
application = get_wsgi_application()
# Import the URLconf, and with it every view module, now rather than on the first request: with gunicorn's
# preload_app (deploy/gunicorn.conf.py) this happens once in the master and every worker forks with it done.
_url_patterns = get_resolver().url_patterns
