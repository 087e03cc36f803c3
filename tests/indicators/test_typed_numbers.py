"""indicators.reporting.numbers: typed numbers for the forms and the Excel upload, and their display. No database."""

from decimal import Decimal

import pytest

from indicators.reporting.numbers import NumberFormatError, number_display, number_parse


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1,129.61", Decimal("1129.61")),
        ("３６５．２５", Decimal("365.25")),
        ("－１２", Decimal("-12")),
        (" 1 234 ", Decimal("1234")),
        ("1,234,567", Decimal("1234567")),
        ("—", None),
        ("", None),
    ],
)
def test_it_reads_numbers_as_people_type_them(typed, number):
    assert number_parse(typed) == number


@pytest.mark.parametrize("typed", ["1,2,3", "12,34", "1.234,5", "1,23", "abc", "1..2", ",123"])
def test_it_refuses_commas_out_of_place_and_non_numbers(typed):
    with pytest.raises(NumberFormatError):
        number_parse(typed)


@pytest.mark.parametrize(
    ("typed", "percent", "kind"),
    [
        ("12%", False, "percent_sign"),
        ("１２．５％", False, "percent_sign"),
        ("无", False, "word_for_none"),
        ("N/A", True, "word_for_none"),
        ("暂无", False, "word_for_none"),
        ("12亿元", False, "with_unit"),
        ("-5元", False, "with_unit"),
        ("abc", False, "other"),
        ("1,2,3", False, "other"),
        ("%", False, "other"),
    ],
)
def test_it_says_how_a_text_is_not_a_number_where_the_cause_is_a_common_one(typed, percent, kind):
    """The kind names the message (indicators.reporting.number_words): a % on an amount, 无 for a blank, a unit after
    the number; else the general example."""
    with pytest.raises(NumberFormatError) as refused:
        number_parse(typed, percent=percent)
    assert refused.value.kind == kind


def test_it_reads_a_percent_sign_only_for_a_percentage():
    assert number_parse("45%", percent=True) == Decimal("45")
    with pytest.raises(NumberFormatError):
        number_parse("45%")


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (Decimal("1.0000"), "次", "1"),
        (Decimal("22.7400"), "%", "22.74"),
        (Decimal("1129.6100"), "亿元", "1129.61"),
        (Decimal("100.0000"), "亿元", "100"),
        (Decimal("2.5000"), "次", "2.5"),
        (None, "次", ""),
    ],
)
def test_it_shows_values_without_padding_zeros(value, unit, shown):
    assert number_display(value, unit) == shown
