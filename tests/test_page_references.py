"""The forms' markup as a screen reader follows it: every field has a label, and every reference from one element to
another (a label's `for`, `aria-describedby`, `aria-labelledby`, `aria-controls`) points to an element of the page,
whose id no other element bears. A dangling `aria-describedby` is silent — the reader hears no help — and axe only
lists it as "needs review", so the browser walk (tests/browser/test_accessibility.py) does not catch it."""

import pytest
from lxml import html

REFERENCES = ("for", "aria-describedby", "aria-labelledby", "aria-controls")
NOT_LABELLED = {"hidden", "submit", "button", "reset", "image"}


def broken_references(page) -> list[str]:
    ids = [element.get("id") for element in page.iter() if isinstance(element.tag, str) and element.get("id")]
    found = [f"id {name!r} borne {ids.count(name)} times" for name in sorted(set(ids)) if ids.count(name) > 1]
    for attribute in REFERENCES:
        for element in page.xpath(f"//*[@{attribute}]"):
            for name in element.get(attribute).split():
                if name not in ids:
                    found.append(f"{attribute}={name!r} on <{element.tag} name={element.get('name')!r}>: no such id")
    return found


def unlabelled_fields(page) -> list[str]:
    labelled = {label.get("for") for label in page.xpath("//label[@for]")}
    found = []
    for field in page.xpath("//input | //select | //textarea"):
        if field.tag == "input" and (field.get("type") or "text") in NOT_LABELLED:
            continue
        if field.get("id") in labelled or field.xpath("ancestor::label"):
            continue
        if field.get("aria-label") or field.get("aria-labelledby"):
            continue
        found.append(f"<{field.tag} name={field.get('name')!r}>")
    return found


PAGES = [
    ("olga", "/evaluations/define/?year=2024"),
    ("olga", "/supervision/new/"),
    ("olga", "/letters/new/"),
    ("olga", "/safeguards/"),
    ("olga", "/safeguards/exit-standards/record/"),
    ("sam", "/projects/new/"),
    (None, "/accounts/login/"),
]


@pytest.mark.parametrize("reader, path", PAGES)
def test_every_field_is_labelled_and_every_reference_resolves(plan, client_for, client, request, reader, path):
    http = client_for(request.getfixturevalue(reader)) if reader else client
    response = http.get(path)
    assert response.status_code == 200, path
    page = html.fromstring(response.content.decode())
    assert page.xpath("//form"), f"{path}: no form to check"
    assert broken_references(page) == []
    assert unlabelled_fields(page) == []


def test_the_checks_see_a_dangling_reference_a_duplicate_id_and_an_unlabelled_field():
    page = html.fromstring(
        "<form><label for='a'>A</label><input id='a' aria-describedby='a-help'>"
        "<p id='x'></p><p id='x'></p><select name='s'></select><label>B <input name='b'></label></form>"
    )
    assert broken_references(page) == [
        "id 'x' borne 2 times",
        "aria-describedby='a-help' on <input name=None>: no such id",
    ]
    assert unlabelled_fields(page) == ["<select name='s'>"]
