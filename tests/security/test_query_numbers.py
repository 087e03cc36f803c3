"""A number in an address is read as ASCII digits only (chuxiong_portal.params): `str.isdigit` also takes ², ３ and
other digits `int` refuses, and `?year=²` answered 500 on nine pages. Such a parameter is now read as no number at
all: the page answers as it does to ``?year=abc``."""

from datetime import date

import pytest
import time_machine

from chuxiong_portal.params import whole_number, year_number
from supervision.models import SupervisionItem

pytestmark = pytest.mark.django_db

PAGES = [
    "/changes/?period={}",
    "/changes/?page={}",
    "/bulletin/?period={}",
    "/matrix/?programme={}",
    "/reconciliation/?year={}",
    "/flags/?year={}",
    "/work-items/?year={}",
    "/projects/figures/?year={}",
    "/supervision/new/?source=flag&ref={}",
]


@pytest.mark.parametrize("address", PAGES)
@pytest.mark.parametrize("digits", ["²", "３", "٣", "1²"])
def test_other_digits_are_no_number_and_answered_as_a_word_is(client_for, olga, plan, address, digits):
    client = client_for(olga)
    with time_machine.travel(date(2026, 12, 5)):
        as_a_word = client.get(address.format("abc"))
        response = client.get(address.format(digits))
    assert as_a_word.status_code < 500
    assert response.status_code == as_a_word.status_code


@time_machine.travel(date(2026, 12, 5))
def test_a_supervision_item_whose_flag_is_numbered_in_other_digits_is_refused_in_words(client_for, olga, plan):
    """As with a reference that is no number at all: no flag is read from it, and a 问责提示 item without its flag is
    refused (it would belong to no page) — a 400 with the form's words, nothing written, never a 500."""
    response = client_for(olga).post(
        "/supervision/new/",
        {
            "source": "flag",
            "source_ref": "²",
            "body": f"zone:{plan['lufeng'].pk}",
            "requirement": "制定整改方案",
            "deadline": "2027-01-15",
        },
    )
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert not SupervisionItem.objects.exists()


def test_whole_number_reads_ascii_digits_only_and_bounds_their_count():
    assert whole_number("42") == 42 and whole_number("007") == 7
    assert [whole_number(raw) for raw in ("", None, "-1", "1.5", " 1", "²", "３", "٣", "1e3")] == [None] * 9
    assert whole_number("9" * 18) == int("9" * 18) and whole_number("9" * 19) is None
    assert whole_number("123", digits=2) is None
    assert [year_number(raw) for raw in ("2025", "1999", "2101", "20250", "２０２５")] == [2025, None, None, None, None]
