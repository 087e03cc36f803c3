"""Walking the portal as a reader does: from a page, one page of each shape its links lead to."""

import re
from collections.abc import Iterator

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

# What a walk leaves out: files, the log-out and language links, the admin (Django's own pages).
NOT_WALKED = re.compile(r"^/(static|media|i18n|admin|logout|accounts/logout)/|\.(xlsx|docx|csv|pdf|zip)(\?|$)")


def page_shape(path: str) -> str:
    """A link with its numbers blanked and its query left out: one page of each shape is opened."""
    return re.sub(r"\d+", "N", path.split("?", 1)[0].split("#", 1)[0])


def walk(page: Page, start: str = "/") -> Iterator[str]:
    """Open one page of each shape reachable by links from `start`, breadth first, and yield each path once the
    page has loaded (answered below 400: the walk asserts it)."""
    queue, shapes = [start], set()
    while queue:
        path = queue.pop(0)
        if page_shape(path) in shapes or NOT_WALKED.search(path):
            continue
        shapes.add(page_shape(path))
        try:
            response = page.goto(path)
        except PlaywrightError as error:  # a link that answers with a file (an upload's template)
            if "Download is starting" in str(error):
                continue
            raise
        assert response is not None and response.status < 400, f"{path}: HTTP {response and response.status}"
        yield path
        queue += page.eval_on_selector_all("a[href^='/']", "a => a.map(e => e.getAttribute('href'))")
