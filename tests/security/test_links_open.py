"""No page shows its reader a link that refuses them: every link a page draws opens for the reader who sees it.

`test_url_access` decides who may open each route; this test checks the other side, what the pages offer. On the
demo data, an account of each role walks the portal from its landing page, following every link of every page it
is shown, and every link must answer below 400: a link to another zone's page drawn for a zone user, or to a
supervision item drawn for a unit that may not open it, would each be a dead end (403, 404) in a user's browser.
In English too, for the office (who reaches the most pages) and a zone: a page that fails in one language only.

Skipped on purpose: log-out, the language switch, static files and the admin (Django's own pages).
"""

import re
from collections import deque

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tools.demo import DEMO_USERS, demo_load

LINK = re.compile(r'href="(/[^"#]*)"')
DOWNLOAD = re.compile(r"\.(xlsx|docx|csv|pdf|zip)(\?|$)")
DOWNLOAD_SHAPE = re.compile(r"\d+")
SKIPPED = ("/static/", "/media/", "/logout", "/accounts/logout", "/i18n/", "/admin/")
PAGE_LIMIT = 1500  # per account: the office reaches about 560 pages of the demo
# An account of each role (the first of the demo's), and the readers walked in English.
READERS = list({role: username for username, role, *_ in reversed(DEMO_USERS)}.values())
ENGLISH_READERS = ["demo-office", "demo-lufeng-leader"]


def walk(client: Client) -> tuple[int, list[tuple[str, str, int]]]:
    """Every page `client` reaches by following links from its landing page: (pages opened, dead links as
    (page, link, status))."""
    opened, downloads, dead = set(), set(), []
    queue = deque([("", "/")])
    while queue and len(opened) < PAGE_LIMIT:
        source, path = queue.popleft()
        if path in opened or path.startswith(SKIPPED):
            continue
        if DOWNLOAD.search(path):  # a file of each route (the bulletin of each period has one): one of each
            if DOWNLOAD_SHAPE.sub("N", path) in downloads:
                continue
            downloads.add(DOWNLOAD_SHAPE.sub("N", path))
        opened.add(path)
        response = client.get(path, secure=True, follow=True)
        if response.status_code >= 400:
            dead.append((source, path, response.status_code))
            continue
        if "html" not in response.get("Content-Type", ""):
            continue  # a download: opened, nothing to follow
        for link in LINK.findall(response.content.decode()):
            link = link.replace("&amp;", "&")
            if link not in opened:
                queue.append((path, link))
    return len(opened), dead


@pytest.mark.parametrize(("language", "readers"), [("zh-hans", READERS), ("en", ENGLISH_READERS)])
def test_it_draws_no_link_that_refuses_its_reader(plan, language, readers):
    demo_load()
    failures, walked = [], {}
    for user in get_user_model().objects.filter(username__in=readers).order_by("username"):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(user)
        walked[user.username], dead = walk(client)
        failures += [f"{user.username}: {source} links {link} → {status}" for source, link, status in dead]
    assert sorted(walked) == sorted(readers)
    assert min(walked.values()) > 20, walked  # every account reached well beyond its landing page
    assert not failures, "\n".join(failures)
