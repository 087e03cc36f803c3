import json
from dataclasses import asdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Time sign-in and the dashboards in a real browser (Debian's headless Chromium) against a portal that is "
        "serving: each page's server time, DOMContentLoaded, load, charts drawn and bytes transferred, on a "
        "reader's first visit and a repeat one, at a phone's width and a desktop's. Reads only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="http://127.0.0.1:8000", help="the serving portal (127.0.0.1:8000)")
        parser.add_argument("--username", default="demo-office", help="who signs in (demo-office)")
        parser.add_argument("--password", default="Demo-2025")
        parser.add_argument("--rounds", type=int, default=3, help="visits of each page (median; 3)")
        parser.add_argument("--pages", default="", help="comma-separated paths (default: the dashboards)")
        parser.add_argument("--json", dest="json_path", metavar="PATH", help="also write the figures as JSON")

    def handle(self, *args, **opts):
        try:
            from playwright.sync_api import Error, sync_playwright

            from tools import browser_timing
        except ImportError as error:
            raise CommandError(f"{error}: install the test extra first (.venv/bin/pip install -e '.[test]')") from error
        if not Path(browser_timing.CHROMIUM).exists():
            raise CommandError(f"{browser_timing.CHROMIUM} not found: apt-get install chromium")
        pages = [p.strip() for p in opts["pages"].split(",") if p.strip()] or browser_timing.PAGES
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=browser_timing.CHROMIUM, args=browser_timing.CHROMIUM_ARGS, headless=True
            )
            try:
                report = browser_timing.measure(
                    browser,
                    opts["host"],
                    username=opts["username"],
                    password=opts["password"],
                    pages=pages,
                    rounds=max(1, opts["rounds"]),
                )
            except (Error, RuntimeError) as error:
                raise CommandError(f"{opts['host']}: {error}") from error
            finally:
                browser.close()
        for line in browser_timing.table(report):
            self.stdout.write(line)
        if opts["json_path"]:
            Path(opts["json_path"]).write_text(json.dumps(asdict(report), indent=2, ensure_ascii=False))
