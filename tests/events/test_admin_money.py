"""Money as the admin shows it: integer minor units formatted with Decimal, in the event's currency."""

from decimal import Decimal

import pytest

from djbiz.money import cents_to_decimal, decimal_to_cents, format_cents


@pytest.mark.parametrize(
    ("cents", "currency", "text"),
    [
        (250_000, "USD", "$2,500.00"),
        (5, "usd", "$0.05"),
        (0, "EUR", "€0.00"),
        (-1_999, "GBP", "-£19.99"),
        (123_456_789, "USD", "$1,234,567.89"),
        (5_000, "JPY", "¥5,000"),
        (1_234_567, "CHF", "12,345.67 CHF"),
        (1_000, "KWD", "1.000 KWD"),
    ],
)
def test_format_cents(cents, currency, text):
    assert format_cents(cents, currency) == text


def test_amounts_round_trip_through_decimal():
    assert cents_to_decimal(315_050, "USD") == Decimal("3150.50")
    assert decimal_to_cents(Decimal("3150.50"), "USD") == 315_050
    assert decimal_to_cents(Decimal("5000"), "JPY") == 5_000


def test_an_amount_finer_than_a_cent_is_refused():
    with pytest.raises(ValueError, match="more decimals"):
        decimal_to_cents(Decimal("10.005"), "USD")
