"""Server-rendered charts that every app's templates can use.

`{% bar_chart items label="metro.name" value="member_count" caption=... %}` draws one horizontal
bar per item. The bars are SVG; the labels and the numbers stay in an HTML table, so the chart
reads at any width (a phone included), is translated with the page, and a screen reader reads it
as a table with a caption — the bars themselves are decorative (aria-hidden). No JavaScript."""

from decimal import Decimal

from django import template

register = template.Library()


def _resolve(item, path: str):
    """Follow a dotted path as a template would: dict keys, list indexes, attributes (called
    when callable). None when the path leads nowhere."""
    value = item
    for part in path.split(".") if path else []:
        if value is None:
            return None
        if isinstance(value, dict):
            value = value.get(part)
        elif part.isdigit() and isinstance(value, list | tuple):
            index = int(part)
            value = value[index] if index < len(value) else None
        else:
            value = getattr(value, part, None)
            if callable(value):
                value = value()
    return value


def _number(value) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float | Decimal):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def bar_rows(items, *, label: str, value: str, maximum=None, accent: str = "") -> list[dict]:
    """One row per item: its label, its value as given (for display) and the bar's length in
    percent of the largest value (or of `maximum`)."""
    rows = []
    for item in items or []:
        raw = _resolve(item, value)
        rows.append(
            {
                "label": _resolve(item, label),
                "value": raw,
                "number": _number(raw),
                "accent": bool(_resolve(item, accent)) if accent else False,
            }
        )
    top = _number(maximum) or max((row["number"] or 0 for row in rows), default=0)
    for row in rows:
        number = row["number"]
        row["percent"] = (
            round(100 * max(number, 0) / top, 1) if number is not None and top > 0 else 0
        )
    return rows


@register.inclusion_tag("partials/chart_bar.html")
def bar_chart(
    items,
    *,
    label: str,
    value: str,
    caption: str,
    description: str = "",
    unit: str = "",
    maximum=None,
    accent: str = "",
    label_heading: str = "",
    value_heading: str = "",
    empty: str = "",
    where: str = "",
    equals=None,
):
    """`label`/`value`: paths into each item as a template would write them ("metro.name",
    "1.total" for the second element of a tuple). `unit` is appended to the numbers ("%");
    `maximum` fixes the scale (100 for rates); `accent` names a truthy path that colours a bar
    differently (e.g. "is_current"); `where`/`equals` keep the items whose path equals a value
    (one chart per currency: where="currency" equals=total.currency)."""
    if where:
        items = [item for item in items or [] if _resolve(item, where) == equals]
    rows = bar_rows(items, label=label, value=value, maximum=maximum, accent=accent)
    return {
        "rows": rows,
        "caption": caption,
        "description": description,
        "unit": unit,
        "label_heading": label_heading,
        "value_heading": value_heading,
        "empty": empty,
    }
