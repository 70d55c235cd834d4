"""Revenue: reports per app, provider, metro and month; a provider's statement; CSV exports.
A provider sees their own revenue only; an organisation admin sees everyone's."""

import calendar
import csv
import datetime

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core.selectors import user_is_organization_admin

from .. import selectors
from ..forms import REPORT_GROUP_LABELS, ReportForm, StatementForm
from .common import provider_required


@provider_required
def report(request):
    form = ReportForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    result = selectors.revenue_report(
        request.user,
        group_by=data.get("group_by") or "month",
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )
    if request.GET.get("format") == "csv":
        return _report_csv(result)
    return render(
        request,
        "apps_marketplace/revenue/report.html",
        {
            "form": form,
            "report": result,
            "group_label": REPORT_GROUP_LABELS[result.group_by],
            "is_admin": user_is_organization_admin(request.user),
            "query": request.GET.urlencode(),
        },
    )


def _report_csv(result: selectors.Report) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="revenue-by-{result.group_by}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            result.group_by,
            "currency",
            "fees",
            "sponsorships",
            "refunds",
            "provider",
            "organisation",
            "total",
        ]
    )
    for row in [*result.rows, *result.totals]:
        writer.writerow(
            [
                _csv_safe(row.label),
                row.currency,
                row.fees,
                row.sponsorships,
                row.refunds,
                row.provider,
                row.organization,
                row.total,
            ]
        )
    return response


def _month_bounds(month: datetime.date | None) -> tuple[datetime.date, datetime.date]:
    month = month or timezone.now().date().replace(day=1)
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=1), month.replace(day=last)


@provider_required
def statement(request):
    is_admin = user_is_organization_admin(request.user)
    form = StatementForm(request.GET or None, providers=selectors.providers() if is_admin else None)
    data = form.cleaned_data if form.is_valid() else {}
    provider = (data.get("provider") if is_admin else None) or request.user
    date_from, date_to = _month_bounds(data.get("month"))
    result = selectors.provider_statement(provider, date_from=date_from, date_to=date_to)
    if request.GET.get("format") == "csv":
        return _statement_csv(result)
    return render(
        request,
        "apps_marketplace/revenue/statement.html",
        {
            "form": form,
            "statement": result,
            "is_admin": is_admin,
            "month": date_from.strftime("%Y-%m"),
            "query": request.GET.urlencode(),
        },
    )


def _statement_csv(result: selectors.Statement) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"statement-{result.provider.pk}-{result.date_from:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "date",
            "kind",
            "event",
            "app",
            "metro",
            "memo",
            "currency",
            "gross",
            "organisation_share_percent",
            "provider",
            "organisation",
        ]
    )
    for line in result.lines:
        entry = line.entry
        writer.writerow(
            [
                entry.created.date().isoformat(),
                entry.kind,
                _csv_safe(entry.event.title),
                _csv_safe(entry.app.name),
                entry.metro.name,
                _csv_safe(entry.memo),
                entry.currency,
                line.gross,
                entry.share_percent,
                line.provider,
                line.organization,
            ]
        )
    for currency, totals in result.totals.items():
        writer.writerow(
            [
                "total",
                "",
                "",
                "",
                "",
                "",
                currency,
                totals["gross"],
                "",
                totals["provider"],
                totals["organization"],
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
