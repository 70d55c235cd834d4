"""Money: a Decimal amount with an ISO 4217 currency, always quantised to two places, never a
float. The split between provider and organisation is computed here, once, so that the two parts
always add up to the whole."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
HUNDRED = Decimal("100")

# Currencies with two minor-unit digits (ISO 4217) that the marketplace accepts.
CURRENCIES: dict[str, str] = {
    "EUR": "Euro",
    "USD": "US dollar",
    "GBP": "Pound sterling",
    "CHF": "Swiss franc",
    "CAD": "Canadian dollar",
    "AUD": "Australian dollar",
    "NZD": "New Zealand dollar",
    "SEK": "Swedish krona",
    "NOK": "Norwegian krone",
    "DKK": "Danish krone",
    "PLN": "Polish złoty",
    "CZK": "Czech koruna",
    "SGD": "Singapore dollar",
    "HKD": "Hong Kong dollar",
    "INR": "Indian rupee",
    "BRL": "Brazilian real",
    "MXN": "Mexican peso",
    "ZAR": "South African rand",
    "ILS": "Israeli new shekel",
    "AED": "UAE dirham",
}
CURRENCY_CHOICES = [(code, f"{code} — {name}") for code, name in CURRENCIES.items()]


def quantize(amount: Decimal | int | str) -> Decimal:
    """Two decimal places, half up. Refuses floats: they cannot represent cents exactly."""
    if isinstance(amount, float):
        raise TypeError("Money amounts are Decimals, never floats.")
    try:
        value = Decimal(amount)
        if not value.is_finite():  # NaN, sNaN, Infinity
            raise InvalidOperation
        return value.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation as error:
        raise ValueError(f"“{amount}” is not an amount of money.") from error


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", quantize(self.amount))
        if self.currency not in CURRENCIES:
            raise ValueError(f"“{self.currency}” is not a supported ISO 4217 currency code.")

    def __str__(self) -> str:
        return f"{self.amount:,.2f} {self.currency}"

    @property
    def minor_units(self) -> int:
        return int(self.amount * HUNDRED)


@dataclass(frozen=True)
class Split:
    provider: Decimal
    organization: Decimal

    @property
    def total(self) -> Decimal:
        return self.provider + self.organization


def split(amount: Decimal, organization_share_percent: Decimal) -> Split:
    """Divide `amount` between organisation (its share, rounded to the cent) and provider (the
    rest), so that the parts sum to the amount exactly. Works for negative amounts (refunds)."""
    amount = quantize(amount)
    organization = quantize(amount * Decimal(organization_share_percent) / HUNDRED)
    return Split(provider=amount - organization, organization=organization)


def format_money(amount: Decimal | None, currency: str) -> str:
    if amount is None:
        return ""
    return f"{quantize(amount):,.2f} {currency}"
