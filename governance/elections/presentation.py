"""A stored count (CountResult.to_dict()) made readable: the round-by-round table and its chart,
an SVG drawn on the server (no script) whose text alternative is that table."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

PALETTE = (
    "#0f6b5c",
    "#c2571a",
    "#1f5fa8",
    "#8a5a00",
    "#7b3fa0",
    "#b3261e",
    "#2f7d8c",
    "#5b6b1f",
    "#a0446e",
    "#4a5765",
)
DASHES = ("", "6 3", "2 3", "8 3 2 3")


@dataclass
class RoundColumn:
    number: int
    label: str
    quota: Decimal | None  # None for approval and plurality, which have no quota
    exhausted: Decimal
    rounding_loss: Decimal
    note: str


@dataclass
class CandidateRow:
    index: int
    name: str
    final_status: str
    cells: list[dict] = field(default_factory=list)


@dataclass
class RoundTable:
    columns: list[RoundColumn]
    rows: list[CandidateRow]
    show_rounding: bool


def _label(round_: dict, names: list[str]) -> str:
    subject = names[round_["subject"]] if round_.get("subject") is not None else ""
    action = round_["action"]
    if action == "first_preferences":
        return _("First preferences")
    if action == "surplus":
        return _("Surplus of %(name)s") % {"name": subject}
    if action == "exclusion":
        return _("%(name)s excluded") % {"name": subject} if subject else _("Exclusion")
    if action == "iteration":
        if round_["number"] == 1:
            return _("First preferences")
        if round_["excluded"]:
            names_out = ", ".join(names[i] for i in round_["excluded"])
            return _("%(name)s excluded") % {"name": names_out}
        if round_["elected"]:
            names_in = ", ".join(names[i] for i in round_["elected"])
            return _("%(name)s elected") % {"name": names_in}
        return _("Surplus transfers")
    return _("Count")


def round_table(result: dict) -> RoundTable:
    names = list(result["candidates"])
    rounds = result["rounds"]
    columns = [
        RoundColumn(
            number=r["number"],
            label=_label(r, names),
            quota=Decimal(r["quota"]) if r.get("quota") is not None else None,
            exhausted=Decimal(r.get("exhausted") or 0),
            rounding_loss=Decimal(r.get("rounding_loss") or 0),
            note=r.get("note", ""),
        )
        for r in rounds
    ]
    rows = []
    for index, name in enumerate(names):
        row = CandidateRow(index=index, name=name, final_status=result["final_status"][index])
        for r in rounds:
            transfer = Decimal(r["transfers"][index]) if r.get("transfers") else Decimal(0)
            row.cells.append(
                {
                    "votes": Decimal(r["votes"][index]),
                    "transfer": transfer,
                    "elected": index in r["elected"],
                    "excluded": index in r["excluded"],
                    "status": r["status"][index],
                }
            )
        rows.append(row)
    order = {index: position for position, index in enumerate(result["elected"])}
    rows.sort(key=lambda row: (row.index not in order, order.get(row.index, 0), row.name))
    return RoundTable(
        columns=columns,
        rows=rows,
        show_rounding=any(c.rounding_loss for c in columns),
    )


def _fmt(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.2f}"


def rounds_chart(result: dict, *, chart_id: str = "rounds-chart") -> SafeString:
    """A line chart (STV: votes per round, quota dashed) or a bar chart (single round)."""
    if not result.get("rounds"):
        return mark_safe("")
    if len(result["rounds"]) == 1:
        return _bar_chart(result, chart_id=chart_id)
    return _line_chart(result, chart_id=chart_id)


def _frame(chart_id: str, width: int, height: int, title: str, desc: str, body) -> SafeString:
    return format_html(
        '<svg class="elections-chart" viewBox="0 0 {w} {h}" width="100%" role="img" '
        'aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        w=width,
        h=height,
        id=chart_id,
        title=title,
        desc=desc,
        body=body,
    )


def _line_chart(result: dict, *, chart_id: str) -> SafeString:
    names = result["candidates"]
    rounds = result["rounds"]
    width, height = 760, 340
    left, right, top, bottom = 56, 190, 16, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    quotas = [float(r["quota"]) for r in rounds]
    series = [[float(r["votes"][i]) for r in rounds] for i in range(len(names))]
    top_value = max([*quotas, *(v for s in series for v in s), 1.0]) * 1.08
    step = plot_w / max(len(rounds) - 1, 1)

    def x(i: int) -> float:
        return left + i * step

    def y(value: float) -> float:
        return top + plot_h - value / top_value * plot_h

    parts = []
    for tick in range(5):
        value = top_value * tick / 4
        parts.append(
            format_html(
                '<line class="elections-chart__grid" x1="{}" x2="{}" y1="{y}" y2="{y}"/>'
                '<text class="elections-chart__axis" x="{}" y="{}" text-anchor="end">{}</text>',
                left,
                left + plot_w,
                left - 6,
                f"{y(value) + 4:.1f}",
                _fmt(round(value, 2)),
                y=f"{y(value):.1f}",
            )
        )
    label_every = max(1, len(rounds) // 12)
    for i, r in enumerate(rounds):
        if i % label_every == 0 or i == len(rounds) - 1:
            parts.append(
                format_html(
                    '<text class="elections-chart__axis" x="{}" y="{}" '
                    'text-anchor="middle">{}</text>',
                    f"{x(i):.1f}",
                    top + plot_h + 16,
                    r["number"],
                )
            )
    parts.append(
        format_html(
            '<text class="elections-chart__axis" x="{}" y="{}" text-anchor="middle">{}</text>',
            f"{left + plot_w / 2:.1f}",
            height - 6,
            _("Round"),
        )
    )
    quota_points = " ".join(f"{x(i):.1f},{y(q):.1f}" for i, q in enumerate(quotas))
    parts.append(
        format_html(
            '<polyline class="elections-chart__quota" points="{}"><title>{}</title></polyline>',
            quota_points,
            _("Quota"),
        )
    )
    labels = []
    final_status = result["final_status"]
    for index, values in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        dash = DASHES[(index // len(PALETTE)) % len(DASHES)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        width_attr = 3 if final_status[index] == "elected" else 1.75
        parts.append(
            format_html(
                '<polyline fill="none" stroke="{}" stroke-width="{}" stroke-dasharray="{}" '
                'points="{}"><title>{}</title></polyline>',
                colour,
                width_attr,
                dash,
                points,
                names[index],
            )
        )
        labels.append([y(values[-1]), index, colour])
    labels.append([y(quotas[-1]), -1, "#4a5765"])
    labels.sort()
    for position in range(1, len(labels)):
        labels[position][0] = max(labels[position][0], labels[position - 1][0] + 13)
    for label_y, index, colour in labels:
        text = _("Quota") if index < 0 else names[index]
        if index >= 0 and final_status[index] == "elected":
            text = f"{text} ✓"
        parts.append(
            format_html(
                '<text class="elections-chart__label" x="{}" y="{}" fill="{}">{}</text>',
                f"{left + plot_w + 8:.1f}",
                f"{label_y + 4:.1f}",
                colour,
                text,
            )
        )
    desc = _(
        "Votes of each candidate at each round, with the quota as a dashed line; elected "
        "candidates are marked ✓. The round-by-round table gives the same figures."
    )
    body = format_html_join("", "{}", ((part,) for part in parts))
    return _frame(chart_id, width, height, _("Votes per round"), desc, body)


def _bar_chart(result: dict, *, chart_id: str) -> SafeString:
    names = result["candidates"]
    votes = [float(v) for v in result["rounds"][0]["votes"]]
    final_status = result["final_status"]
    order = sorted(range(len(names)), key=lambda i: (-votes[i], names[i]))
    bar, gap, left, right = 22, 8, 180, 70
    width = 760
    height = len(order) * (bar + gap) + 16
    top_value = max([*votes, 1.0])
    plot_w = width - left - right
    parts = []
    for position, index in enumerate(order):
        y = 8 + position * (bar + gap)
        length = votes[index] / top_value * plot_w
        elected = final_status[index] == "elected"
        parts.append(
            format_html(
                '<text class="elections-chart__label" x="{}" y="{}" text-anchor="end">{}</text>'
                '<rect class="{}" x="{}" y="{}" width="{}" height="{}" rx="3"/>'
                '<text class="elections-chart__label" x="{}" y="{}">{}</text>',
                left - 8,
                y + bar - 6,
                f"{names[index]} ✓" if elected else names[index],
                "elections-chart__bar elections-chart__bar--elected"
                if elected
                else "elections-chart__bar",
                left,
                y,
                f"{max(length, 1):.1f}",
                bar,
                f"{left + max(length, 1) + 6:.1f}",
                y + bar - 6,
                _fmt(votes[index]),
            )
        )
    desc = _(
        "Votes of each candidate, highest first; elected candidates are marked ✓. The table "
        "gives the same figures."
    )
    body = format_html_join("", "{}", ((part,) for part in parts))
    return _frame(chart_id, width, height, _("Votes per candidate"), desc, body)


PURPOSES = {
    "exclusion": "who was excluded",
    "surplus_order": "whose surplus was transferred first",
    "election": "who took the last seat",
}


def ties_described(result: dict) -> list[str]:
    """Each tie the count had to break, in words."""
    names = result["candidates"]
    lines = []
    for tie in result.get("ties", []):
        tied = ", ".join(names[i] for i in tie["candidates"])
        chosen = ", ".join(names[i] for i in tie["chosen"])
        purpose = PURPOSES.get(tie["purpose"], tie["purpose"])
        if tie["resolution"] == "look_back":
            how = _("decided by the votes at round %(round)s") % {"round": tie["decided_by_round"]}
        else:
            how = _("decided by lot")
        lines.append(
            _("Round %(round)s: %(tied)s tied on %(purpose)s; %(how)s: %(chosen)s.")
            % {
                "round": tie["round"],
                "tied": tied,
                "purpose": purpose,
                "how": how,
                "chosen": chosen,
            }
        )
    return lines
