"""Load test of the portal: people reading dashboards, department staff saving drafts, the provincial
statistics system reading the API. Runs against the local production stack (deploy/stack start --demo):

    deploy/loadtest/run.sh            # 50 users, 2 minutes, results in deploy/loadtest/results/

or by hand (tokens from `deploy/stack manage create_sync_client NAME`, last line):

    PORTAL_API_TOKENS=tok1,tok2 .venv/bin/locust -f deploy/loadtest/locustfile.py --host http://127.0.0.1:8080 \
        --headless -u 50 -r 10 -t 2m --csv deploy/loadtest/results/portal

Only ever point it at 127.0.0.1: the users log in with the demo accounts.
Every response is checked (status and content); anything unexpected counts as a failure.
"""

import itertools
import os
import re
import threading
from http.cookiejar import DefaultCookiePolicy
from urllib.parse import urlsplit

from locust import HttpUser, between, task
from portal_forms import report_form  # beside this file (locust puts its folder on sys.path)

DEMO_PASSWORD = os.environ.get("PORTAL_DEMO_PASSWORD", "Demo-2025")
# Users who may open all three dashboards: the office and department users see every zone; 禄丰's leader
# sees his own zone (and lands on it from /, a redirect that is followed as a browser would).
READERS = ["demo-office", "demo-ndrc-reviewer", "demo-miit-reviewer", "demo-lufeng-leader"]
STAFF = ["demo-ndrc-staff", "demo-miit-staff", "demo-commerce-staff"]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

# The production settings mark the session and CSRF cookies Secure. Browsers send Secure cookies to
# http://localhost and http://127.0.0.1 (a "potentially trustworthy" origin); Python's cookie jar does not.
# Behave like a browser, for loopback hosts only.
_return_ok_secure = DefaultCookiePolicy.return_ok_secure


def _loopback_is_secure(self, cookie, request) -> bool:
    return urlsplit(request.get_full_url()).hostname in LOOPBACK or _return_ok_secure(self, cookie, request)


DefaultCookiePolicy.return_ok_secure = _loopback_is_secure


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)
    username = ""

    def login(self, username: str) -> bool:
        page = self.client.get("/accounts/login/", name="login page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text or "")
        if not token:
            return False
        with self.client.post(
            "/accounts/login/",
            name="login",
            allow_redirects=False,
            catch_response=True,
            data={"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {username} answered {response.status_code}")
                return False
        self.username = username
        return True

    def page(self, path: str, name: str | None = None, must_contain: str = "</html>", follow: bool = False):
        with self.client.get(path, name=name or path, catch_response=True, allow_redirects=follow) as response:
            if response.status_code != 200:
                response.failure(f"{path}: {response.status_code}")
            elif must_contain not in response.text:
                response.failure(f"{path}: page incomplete")
            return response


class DashboardReader(PortalUser):
    """Office, zone leaders, reviewers and statisticians looking at where the plan stands."""

    weight = 6
    _next = itertools.count()

    def on_start(self):
        self.login(READERS[next(self._next) % len(READERS)])

    @task(4)
    def overview(self):
        self.page("/overview/", name="/overview/", follow=True)

    @task(3)
    def zone(self):
        self.page("/zones/lufeng/")

    @task(3)
    def task_detail(self):
        self.page("/tasks/9/")


class DepartmentStaff(PortalUser):
    """Department staff filling in an open report: open it, save the draft (as it is), again and again."""

    weight = 2
    _next = itertools.count()
    _claimed: set[str] = set()
    _lock = threading.Lock()

    def on_start(self):
        self.report = None
        # Each staff user takes a report of their own: two people saving one report is optimistic locking's
        # business (the later save is refused, by design), not this test's.
        for attempt in range(len(STAFF)):
            username = STAFF[(next(self._next) + attempt) % len(STAFF)]
            self.client.cookies.clear()
            if not self.login(username):
                continue
            todo = self.page("/todo/")
            for report_id in dict.fromkeys(re.findall(r'href="/reports/(\d+)/"', todo.text or "")):
                with self._lock:
                    if report_id in self._claimed:
                        continue
                    self._claimed.add(report_id)
                page = self.page(f"/reports/{report_id}/", name="/reports/[id]/")
                if report_form(page.text or ""):
                    self.report = report_id
                    return
        print("a department staff user found no open report of its own: it reads its to-do list instead")

    @task
    def save_draft(self):
        if self.report is None:
            self.page("/todo/")  # no open report left for this user: reads its to-do list instead
            return
        path = f"/reports/{self.report}/"
        page = self.page(path, name="/reports/[id]/")
        fields = report_form(page.text or "")
        if fields is None:
            return
        fields["action"] = "save"  # the fields as the page shows them (HTMLParser has unescaped the values)
        with self.client.post(
            path,
            data=fields,
            name="/reports/[id]/ save",
            allow_redirects=False,
            headers={"Referer": self.host + path},
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                snippet = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text or ""))[:200]
                response.failure(f"save answered {response.status_code}: {snippet}")


class ProvincialSync(HttpUser):
    """The provincial statistics system reading zones and indicator values through the API."""

    weight = 2
    wait_time = between(0.5, 1.5)
    _next = itertools.count()
    api_ready: bool | None = None

    def on_start(self):
        tokens = [t for t in os.environ.get("PORTAL_API_TOKENS", "").split(",") if t.strip()]
        self.token = tokens[next(self._next) % len(tokens)].strip() if tokens else None
        if self.token and ProvincialSync.api_ready is None:
            probe = self.client.get("/api/v1/zones/", name="api probe", headers=self.headers())
            ProvincialSync.api_ready = probe.status_code != 404
            if not ProvincialSync.api_ready:
                print("the API is not there (404 on /api/v1/zones/): API requests skipped")

    def headers(self) -> dict:
        return {"Authorization": f"Token {self.token}", "Accept": "application/json"}

    def get_json(self, path: str, name: str):
        if not (self.token and ProvincialSync.api_ready):
            return
        with self.client.get(path, name=name, headers=self.headers(), catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{path}: {response.status_code} {response.text[:120]}")
            else:
                try:
                    response.json()
                except ValueError:
                    response.failure(f"{path}: not JSON")

    @task(1)
    def zones(self):
        self.get_json("/api/v1/zones/", "/api/v1/zones/")

    @task(2)
    def values(self):
        self.get_json("/api/v1/indicator-values/?page_size=50", "/api/v1/indicator-values/?page_size=50")
