"""gunicorn settings for the portal: `gunicorn -c deploy/gunicorn.conf.py chuxiong_portal.wsgi`.

Every value can be overridden from the environment (GUNICORN_*), e.g. in the systemd unit's EnvironmentFile.
Sync workers: the pages are short database-bound requests; slow clients are nginx's job (it buffers requests
and responses), so a worker is never held by a slow upload or download.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# The classic (2 × cores) + 1: while one worker waits on PostgreSQL another uses the core.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Load the application once in the master, before the workers fork (chuxiong_portal/wsgi.py also imports every
# view module then): a worker starts ready to serve, instead of importing Django, the URLconf and every view on
# its first request — seconds of CPU per worker on a small machine, at start-up and after each recycling
# (max_requests below), when the first users' logins arrive too. No connection is opened before the fork
# (Django and redis-py connect lazily). Code changes then need a restart, not a HUP.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1").strip().lower() in {"1", "true", "yes", "on"}
# A request that takes longer than this is killed and logged; the slowest pages (dashboards, Excel) take < 5 s.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# nginx keeps connections to the upstream open only with keepalive set there too; a few seconds is enough.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then, so that a slow leak in a library never grows unbounded.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# Only the proxy on this host may set X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips
# Worker heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", "/dev/shm" if os.path.isdir("/dev/shm") else None)
# gunicorn ≥ 24's run-time control socket: not needed (systemd sends the signals), one way in fewer.
control_socket_disable = True
limit_request_line = 8190
limit_request_fields = 100

# Logs: access and errors to stdout/stderr (journald or the container runtime collects them), as JSON lines
# when DJANGO_LOG_FORMAT=json (the production default), like the application's own log.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
capture_output = False
_debug = os.environ.get("DJANGO_DEBUG", "1").strip().lower() in {"1", "true", "yes", "on"}
_log_format = (os.environ.get("DJANGO_LOG_FORMAT") or ("plain" if _debug else "json")).strip().lower()
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
if _log_format == "json":
    _handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "chuxiong_portal.logging.JsonFormatter"}},
        "handlers": {"stdout": _handler},
        "root": {"level": "INFO", "handlers": ["stdout"]},
        "loggers": {
            "gunicorn.error": {"level": loglevel.upper(), "handlers": ["stdout"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
        },
    }
