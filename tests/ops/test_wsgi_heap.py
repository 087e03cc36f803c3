"""The WSGI module that gunicorn preloads (chuxiong_portal/wsgi.py) leaves what it loaded frozen out of the garbage
collector's reach: a worker's full collections walk only what its own requests keep."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_loading_the_wsgi_application_freezes_the_loaded_heap():
    code = "import gc; import chuxiong_portal.wsgi; print(gc.get_freeze_count())"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "chuxiong_portal.settings"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    # Django, every module and the URLconf: tens of thousands of objects.
    assert int(out.stdout.strip().splitlines()[-1]) > 20_000
