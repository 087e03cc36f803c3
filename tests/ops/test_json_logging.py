"""Production logs are one JSON object per line on stdout (DJANGO_LOG_FORMAT=json, the default with DEBUG off)."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from chuxiong_portal.logging import JsonFormatter

ROOT = Path(__file__).resolve().parents[2]


def record(name="chuxiong_portal.queue", msg="could not queue %s", args=("job",), **extra):
    entry = logging.LogRecord(name, logging.WARNING, __file__, 1, msg, args, None)
    entry.__dict__.update(extra)
    return entry


def test_it_writes_the_message_the_extras_and_the_exception_as_one_json_line():
    try:
        raise ValueError("数据有误")
    except ValueError:
        entry = record(report_id=7, user="alice")
        entry.exc_info = sys.exc_info()
    line = JsonFormatter().format(entry)
    assert "\n" not in line
    data = json.loads(line)
    assert (data["level"], data["logger"]) == ("WARNING", "chuxiong_portal.queue")
    assert data["message"] == "could not queue job"
    assert (data["report_id"], data["user"]) == (7, "alice")
    assert "ValueError: 数据有误" in data["exception"] and data["time"].endswith("+00:00")


def test_it_gives_gunicorn_access_lines_fields_but_never_the_request_headers():
    atoms = {
        "h": "127.0.0.1",
        "m": "GET",
        "U": "/zones/lufeng/",
        "q": "",
        "s": "200",
        "B": 45552,
        "M": 12,
        "a": "curl/8",
        "{cookie}i": "sessionid=secret",
        "{authorization}i": "Token secret",
    }
    data = json.loads(JsonFormatter().format(record("gunicorn.access", '%(h)s "%(m)s %(U)s" %(s)s', atoms)))
    assert (data["method"], data["path"], data["status"], data["duration_ms"]) == ("GET", "/zones/lufeng/", "200", 12)
    assert "secret" not in json.dumps(data)


def test_production_settings_log_json_to_stdout_and_debug_logs_plain():
    script = "import logging, django; django.setup(); logging.getLogger('portal.check').warning('hello')"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "chuxiong_portal.settings",
        "SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "portal.example",
        "DJANGO_LOG_FORMAT": "",
    }
    production = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**env, "DJANGO_DEBUG": "0"},
        check=True,
    )
    lines = [json.loads(line) for line in production.stdout.splitlines() if line.startswith("{")]
    assert {"logger": "portal.check", "message": "hello"}.items() <= lines[-1].items()
    debug = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**env, "DJANGO_DEBUG": "1"},
        check=True,
    )
    assert "WARNING portal.check hello" in debug.stdout
