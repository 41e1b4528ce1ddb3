"""Money is stored as integer minor units (`amount_cents`) plus an ISO 4217 code; these helpers turn it into
text and back. Decimal throughout, never float."""

from decimal import Decimal

# Currencies whose minor unit is not a hundredth (ISO 4217); every other code has two decimals.
_EXPONENTS = {
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0, "RWF": 0,
    "UGX": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}  # fmt: skip

_SYMBOLS = {
    "USD": "$",
    "CAD": "CA$",
    "AUD": "A$",
    "NZD": "NZ$",
    "MXN": "MX$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "INR": "₹",
}


def minor_unit_exponent(currency: str) -> int:
    """How many decimals the currency's minor unit has: 2 for USD (cents), 0 for JPY."""
    return _EXPONENTS.get(currency.upper(), 2)


def cents_to_decimal(amount_cents: int, currency: str) -> Decimal:
    """250000 USD cents -> Decimal('2500.00')."""
    exponent = minor_unit_exponent(currency)
    return Decimal(amount_cents).scaleb(-exponent).quantize(Decimal(1).scaleb(-exponent))


def decimal_to_cents(amount: Decimal, currency: str) -> int:
    """Decimal('2500.00') USD -> 250000. Refuses an amount finer than the currency's minor unit."""
    cents = amount.scaleb(minor_unit_exponent(currency))
    if cents != cents.to_integral_value():
        raise ValueError(f"{amount} has more decimals than {currency.upper()} allows")
    return int(cents)


def format_cents(amount_cents: int, currency: str) -> str:
    """250000, 'USD' -> '$2,500.00'; a currency without a known symbol is written after the number."""
    currency = currency.upper()
    amount = cents_to_decimal(abs(amount_cents), currency)
    number = f"{amount:,.{minor_unit_exponent(currency)}f}"
    sign = "-" if amount_cents < 0 else ""
    symbol = _SYMBOLS.get(currency)
    return f"{sign}{symbol}{number}" if symbol else f"{sign}{number} {currency}"
