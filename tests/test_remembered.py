"""Template builtins that remember what they wrote (core/templatetags/remembered.py) and model
choice labels looked up once per field (core.models.ChoiceLabels) give exactly what Django's own
give, in every language, zone and URLconf."""

import datetime
import decimal
import zoneinfo

from django.template import Context, Template, defaultfilters, engines
from django.urls import reverse, set_urlconf
from django.utils import translation

from core.templatetags import remembered
from governance.models import Escalation

SYDNEY = zoneinfo.ZoneInfo("Australia/Sydney")
LISBON = zoneinfo.ZoneInfo("Europe/Lisbon")


def test_the_date_filter_is_the_remembering_one_in_every_template():
    assert engines["django"].engine.template_builtins[-1].filters["date"] is remembered.date


def test_remembered_dates_are_djangos_in_each_language_zone_and_offset():
    instant = datetime.datetime(2026, 4, 5, 2, 30, tzinfo=datetime.UTC)
    values = [
        instant.astimezone(SYDNEY),
        instant.astimezone(LISBON),  # the same instant elsewhere: another text
        datetime.datetime(2026, 4, 5, 2, 30, tzinfo=SYDNEY),  # before the clocks go back
        datetime.datetime(2026, 4, 5, 2, 30, fold=1, tzinfo=SYDNEY),  # after: same wall time
        datetime.date(2026, 4, 5),
    ]
    for language in ("en", "fr"):
        with translation.override(language):
            for value in values:
                timed = isinstance(value, datetime.datetime)
                for fmt in ("D j M Y, H:i", "N j, Y P T O", "l") if timed else ("D j M Y", "l"):
                    expected = defaultfilters.date(value, fmt)
                    assert remembered.date(value, fmt) == expected  # written
                    assert remembered.date(value, fmt) == expected  # remembered
    with translation.override("fr"):
        assert remembered.date(values[0], "l") == "dimanche"
    assert remembered.date(None, "j") == "" and remembered.date("", "j") == ""


def test_remembered_numbers_are_djangos_in_each_language():
    values = [
        decimal.Decimal("1234.5"),
        decimal.Decimal("1234.50"),
        1234.5,
        1234,
        decimal.Decimal("-0.004"),
        decimal.Decimal("2.675"),
        float("nan"),
        "12.345",
        None,
    ]
    for language in ("en", "fr"):
        with translation.override(language):
            for value in values:
                for arg in (-1, 2, "-5", "3g", "2u", 0):
                    expected = defaultfilters.floatformat(value, arg)
                    assert remembered.floatformat(value, arg) == expected
                    assert remembered.floatformat(value, arg) == expected
    with translation.override("fr"):
        assert remembered.floatformat(decimal.Decimal("1234.5"), "2g") == "1\xa0234,50"


def test_remembered_urls_follow_arguments_urlconf_and_objects(in_a):
    template = Template("{% url 'governance:escalation' pk %}|{% url 'home' as home %}{{ home }}")
    for pk in (1, 2, "3"):
        first = template.render(Context({"pk": pk}))
        assert first == template.render(Context({"pk": pk}))
        assert first == f"{reverse('governance:escalation', args=[pk])}|{reverse('home')}"

    class Named:  # reverse() uses str() of an object: never remembered by identity
        def __init__(self, text):
            self.text = text

        def __str__(self):
            return self.text

    assert Template("{% url 'governance:escalation' x %}").render(Context({"x": Named("7")})) == (
        reverse("governance:escalation", args=[7])
    )
    assert Template("{% url 'governance:escalation' x %}").render(Context({"x": Named("8")})) == (
        reverse("governance:escalation", args=[8])
    )
    set_urlconf("config.urls_public")  # the public site: its own addresses
    try:
        public = Template("{% url 'landing' %}").render(Context({}))
        assert public == reverse("landing")
    finally:
        set_urlconf(None)


def test_choice_labels_are_djangos_in_each_language():
    escalation = Escalation(status=Escalation.Status.OPEN, category=Escalation.Category.CONDUCT)
    with translation.override("en"):
        english = escalation.get_status_display()
        assert english == str(Escalation.Status.OPEN.label)
    with translation.override("fr"):
        assert escalation.get_status_display() == str(Escalation.Status.OPEN.label)
        assert escalation.get_status_display() != english
    escalation.status = "no-such-status"
    assert escalation.get_status_display() == "no-such-status"
