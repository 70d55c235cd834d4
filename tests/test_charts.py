"""The shared bar chart (core/templatetags/charts.py, partials/chart_bar.html)."""

from django.template import Context, Template

from core.templatetags.charts import bar_rows


def test_bars_are_scaled_to_the_largest_value_or_the_given_maximum():
    items = [{"name": "Paris", "n": 30}, {"name": "Lyon", "n": 15}, {"name": "Nice", "n": 0}]
    rows = bar_rows(items, label="name", value="n")
    assert [(row["label"], row["percent"]) for row in rows] == [
        ("Paris", 100.0),
        ("Lyon", 50.0),
        ("Nice", 0),
    ]
    assert [row["percent"] for row in bar_rows(items, label="name", value="n", maximum=60)] == [
        50.0,
        25.0,
        0,
    ]


def test_paths_follow_tuples_dicts_and_attributes_and_missing_values_stay_empty():
    class Person:
        name = "Mia"

    items = [("Metro", {"open": 3}), ("Board", {"open": 1}), ("Region", {})]
    rows = bar_rows(items, label="0", value="1.open")
    assert [(row["label"], row["value"], row["percent"]) for row in rows] == [
        ("Metro", 3, 100.0),
        ("Board", 1, 33.3),
        ("Region", None, 0),
    ]
    assert bar_rows([{"who": Person()}], label="who.name", value="x")[0]["label"] == "Mia"


def test_the_chart_is_a_table_with_a_caption_and_decorative_bars():
    html = Template(
        '{% load charts %}{% bar_chart items label="name" value="rate" unit="%" maximum=100 '
        'caption="Attendance" description="Last meetings" %}'
    ).render(Context({"items": [{"name": "Mia", "rate": 75}, {"name": "Tom", "rate": None}]}))
    assert "<caption>Attendance" in html and "Last meetings" in html
    assert '<th scope="row">Mia</th>' in html and "75%" in html and "—" in html
    assert 'aria-hidden="true"' in html and 'width="75.0%"' in html


def test_one_chart_per_currency_keeps_only_the_matching_items():
    html = Template(
        '{% load charts %}{% bar_chart rows label="label" value="total" where="currency" '
        'equals="EUR" caption="Revenue" %}'
    ).render(
        Context(
            {
                "rows": [
                    {"label": "Jan", "total": 10, "currency": "EUR"},
                    {"label": "Feb", "total": 20, "currency": "GBP"},
                ]
            }
        )
    )
    assert "Jan" in html and "Feb" not in html


def test_nothing_to_draw_shows_the_empty_message_or_nothing():
    template = Template(
        '{% load charts %}{% bar_chart items label="a" value="b" caption="C" empty=empty %}'
    )
    assert "Nothing yet" in template.render(Context({"items": [], "empty": "Nothing yet"}))
    assert "<table" not in template.render(Context({"items": [], "empty": ""}))
