"""The project page holds several forms (edit, stage, yearly list, a new baseline per milestone): each field's id is
its own, so that a label names its box, and the baseline form's boxes say what they are."""

import re
from collections import Counter

import pytest

pytestmark = pytest.mark.django_db


def _page(client_for, user, project) -> str:
    response = client_for(user).get(project.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_no_two_elements_of_the_project_page_share_an_id(client_for, olga, listed):
    page = _page(client_for, olga, listed)
    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    assert {name for name, count in ids.items() if count > 1} == set()
    # The edit form's 调整原因 and the stage form's 说明 each with their own label.
    assert '<label for="id_reason">' in page and '<label for="stage_reason">' in page
    assert 'id="id_reason"' in page and 'id="stage_reason"' in page


def test_each_milestones_new_baseline_form_labels_its_boxes_and_requires_them(client_for, olga, listed):
    page = _page(client_for, olga, listed)
    forms = re.findall(r'<form method="post" action="[^"]*/rebaseline/"[^>]*>.*?</form>', page, re.S)
    assert len(forms) == 3  # signed, land, started
    for form in forms:
        assert 'class="cell-form no-print"' in form
        for name in ("planned_on", "reason"):
            box = re.search(rf'<input type="(?:date|text)" name="{name}"[^>]*>', form).group(0)
            assert "required" in box and 'aria-label="' in box
