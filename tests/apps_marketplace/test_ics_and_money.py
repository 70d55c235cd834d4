from decimal import Decimal

import pytest

from apps_marketplace.ics import escape_text, event_ics, fold
from apps_marketplace.money import Money, quantize, split

from .factories import EventFactory


def test_ics_text_is_escaped_and_folded(app):
    event = EventFactory(
        app=app,
        title="Pitch; Night, with \\ and\nnewline",
        description="Ünïcödé " * 20,
        venue="Café, Paris",
    )
    text = event_ics(event, url="https://alpha.localhost/marketplace/events/1/", host="alpha")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert "SUMMARY:Pitch\\; Night\\, with \\\\ and\\nnewline\r\n" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    assert "DESCRIPTION:" + escape_text("Ünïcödé " * 20) in unfolded
    assert f"DTSTART:{event.starts_at:%Y%m%dT%H%M%S}Z" in text
    assert "BEGIN:VEVENT" in text and "STATUS:CONFIRMED" in text


def test_fold_never_splits_a_character():
    line = "X:" + "é" * 100
    for part in fold(line).split("\r\n"):
        part.encode().decode()  # would raise on a split character
        assert len(part.encode()) <= 75


def test_money_is_decimal_never_float():
    assert quantize("10.005") == Decimal("10.01")
    with pytest.raises(TypeError):
        quantize(10.5)
    with pytest.raises(ValueError):
        Money(Decimal("1"), "XYZ")
    assert str(Money(Decimal("1234.5"), "EUR")) == "1,234.50 EUR"


@pytest.mark.parametrize("amount", ["0.01", "9.99", "333.33", "-12.51", "1000000.00"])
@pytest.mark.parametrize("share", ["0", "17.5", "20", "33.33", "100"])
def test_split_always_adds_up(amount, share):
    parts = split(Decimal(amount), Decimal(share))
    assert parts.total == Decimal(amount)
    assert split(-Decimal(amount), Decimal(share)).organization == -parts.organization
