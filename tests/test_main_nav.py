"""The main navigation: drawn once per (language, role) and reused, so one role's links never reach another."""

import pytest


def nav(response) -> str:
    html = response.content.decode()
    return html.split('<nav class="mainnav"')[1].split(">", 1)[1].split("</nav>")[0]


@pytest.mark.parametrize(
    "persona, bulletin, admin",
    [
        ("olga", True, True),
        ("rita", True, False),
        ("alice", False, False),
        ("sam", False, False),
    ],
)
def test_it_shows_each_role_its_own_links_whoever_came_first(
    client_for, olga, rita, alice, sam, persona, bulletin, admin
):
    for first in (olga, alice):  # fill the per-process memo with another role's navigation first
        client_for(first).get("/tasks/")
    links = nav(client_for(locals()[persona]).get("/tasks/"))

    assert 'href="/tasks/"' in links and 'href="/todo/"' in links
    assert ('href="/bulletin/"' in links) is bulletin
    assert ('href="/admin/"' in links) is admin


def test_it_draws_the_navigation_in_the_readers_language(client_for, alice):
    client = client_for(alice)
    assert "责任矩阵" in nav(client.get("/tasks/"))
    client.cookies["django_language"] = "en"
    english = nav(client.get("/tasks/"))
    assert "责任矩阵" not in english and "Responsibility" in english


def test_it_names_each_link_as_its_page_calls_itself(client_for, olga):
    """A link reads as the page it opens is titled (no 数据比对 for 省州数据对账)."""
    import re

    client = client_for(olga)
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav(client.get("/tasks/")))
    assert ("/reconciliation/", "省州数据对账") in links or any(label == "省州数据对账" for _, label in links)
    for href, label in links:
        if href.startswith("/admin/"):
            continue
        page = client.get(href, follow=True).content.decode()
        title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
        named = title + (heading.group(1) if heading else "")
        assert label in named, f"{href}: link {label!r}, page {named!r}"
