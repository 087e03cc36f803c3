"""The portal's one rule for reading a typed number (chuxiong_portal/numbers.py)."""

from decimal import Decimal

import pytest

from chuxiong_portal.numbers import NumberError, parse_decimal


@pytest.mark.parametrize(
    "text, number",
    [
        ("1234.5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("1,129.61", "1129.61"),
        ("12,345,678", "12345678"),
        ("-0.25", "-0.25"),
        ("+12", "12"),
        (" 7 ", "7"),
        ("１２３４．５", "1234.5"),
        ("１，２３４", "1234"),
        (".5", "0.5"),
        ("1234567890123.4567", "1234567890123.4567"),
        ("0", "0"),
        ("3.", "3"),
    ],
)
def test_it_reads_digits_a_sign_one_point_and_proper_thousands_separators(text, number):
    assert parse_decimal(text) == Decimal(number)


@pytest.mark.parametrize(
    "text, code",
    [
        ("1,2,3", "invalid"),
        ("1_000", "invalid"),
        ("12,34", "invalid"),
        ("1,2345", "invalid"),
        (",123", "invalid"),
        ("1e5", "invalid"),
        ("NaN", "invalid"),
        ("Infinity", "invalid"),
        ("1.2.3", "invalid"),
        ("--1", "invalid"),
        ("0x10", "invalid"),
        ("12 34", "invalid"),
        ("1,234.5,6", "invalid"),
        ("١٢٣", "invalid"),
        ("²", "invalid"),
        ("", "empty"),
        ("   ", "empty"),
        ("9" * 41, "too_long"),
    ],
)
def test_it_refuses_anything_else_with_a_code(text, code):
    with pytest.raises(NumberError) as caught:
        parse_decimal(text)
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)
