"""The organisation admins' audit log: who changed what and when, with filters and pages.

Services record entries through core.services.audit_record and must never put confidential
text in them; this page guards a second time: only identifier-like values (ids, slugs,
statuses, roles, numbers) are shown, anything that reads like prose is withheld."""

import datetime
import re

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry
from .selectors import user_is_organization_admin

PAGE_SIZE = 50
IDENTIFIER = re.compile(r"^[\w.:@/+-]{1,40}$")
# Keys whose string values are codes (a role, a status, a slug); any other string is withheld,
# however harmless it looks — numbers, booleans and lists of ids are always shown.
CODE_KEYS = frozenset(
    {
        "action",
        "answer",
        "category",
        "currency",
        "direction",
        "from",
        "kind",
        "level",
        "method",
        "outcome",
        "role",
        "slug",
        "state",
        "status",
        "to",
        "type",
    }
)
CODE_SUFFIXES = ("_role", "_slug", "_state", "_status", "_type")
WITHHELD = _("(withheld)")


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.CharField(
        label=_("Who"),
        required=False,
        max_length=254,
        help_text=_("Part of a name or an email address."),
    )
    date_from = forms.DateField(
        label=_("From (UTC)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To (UTC)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Any action"))] + [(a, a) for a in actions]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


def audit_actions() -> list[str]:
    return list(AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct())


def audit_entries(filters: dict) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.select_related("actor").order_by("-created", "-pk")
    if filters.get("action"):
        entries = entries.filter(action=filters["action"])
    if filters.get("actor"):
        text = filters["actor"].strip()
        entries = entries.filter(actor__name__icontains=text) | entries.filter(
            actor__email__icontains=text
        )
    if filters.get("date_from"):
        start = datetime.datetime.combine(filters["date_from"], datetime.time.min, datetime.UTC)
        entries = entries.filter(created__gte=start)
    if filters.get("date_to"):
        end = datetime.datetime.combine(
            filters["date_to"] + datetime.timedelta(days=1), datetime.time.min, datetime.UTC
        )
        entries = entries.filter(created__lt=end)
    return entries


def shown_value(key: str, value) -> str:
    """A value of an entry's data as the page shows it: numbers, ids and codes only."""
    if value is None or isinstance(value, bool | int | float):
        return str(value)
    if (
        isinstance(value, str)
        and (key in CODE_KEYS or key.endswith(CODE_SUFFIXES))
        and IDENTIFIER.match(value)
    ):
        return value
    if isinstance(value, list | tuple) and all(
        isinstance(item, int) and not isinstance(item, bool) for item in value
    ):
        return ", ".join(str(item) for item in value[:20]) + ("…" if len(value) > 20 else "")
    return str(WITHHELD)


def shown_data(data) -> list[tuple[str, str]]:
    if not isinstance(data, dict):
        return []
    return [(str(key)[:40], shown_value(str(key), value)) for key, value in sorted(data.items())][
        :12
    ]


@login_required
def audit_log(request):
    if not user_is_organization_admin(request.user):
        raise PermissionDenied("The audit log is for organisation admins.")
    form = AuditFilterForm(request.GET or None, actions=audit_actions())
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = Paginator(audit_entries(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"entry": entry, "data": shown_data(entry.data)} for entry in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit/log.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query_string": query.urlencode(),
            "filtered": bool(filters and any(filters.values())),
            "now": timezone.now(),
        },
    )
