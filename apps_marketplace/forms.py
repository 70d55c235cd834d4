import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from network.models import Metro
from network.widgets import CompactSelect, keep_choices

from .models import App, MarketplaceSettings, Sponsorship, SponsorshipPackage
from .money import CURRENCY_CHOICES
from .selectors import REPORT_GROUPS

LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time as typed (naive); the service reads it in the event's metro zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT_FORMAT)

    def to_python(self, value):
        result = super().to_python(value)
        return result.replace(tzinfo=None) if result is not None else None


class AppForm(forms.ModelForm):
    class Meta:
        model = App
        fields = [
            "name",
            "category",
            "description",
            "format",
            "default_price",
            "currency",
            "revenue_share",
            "refund_days",
            "late_refund_percent",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "format": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "revenue_share": _(
                "The organisation's share of fees and sponsorship. Leave empty for "
                "the organisation's default; a different share needs approval."
            ),
            "refund_days": _(
                "Attendees who cancel at least this many days before the event are "
                "refunded in full."
            ),
            "late_refund_percent": _("What they get back when they cancel later."),
        }


class PackageForm(forms.ModelForm):
    class Meta:
        model = SponsorshipPackage
        fields = ["name", "price", "slots", "benefits"]
        widgets = {"benefits": forms.Textarea(attrs={"rows": 2})}


class EventForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=160,
        required=False,
        help_text=_("Leave empty to use the app's name."),
    )
    metro = forms.ModelChoiceField(label=_("Metro"), queryset=Metro.objects.order_by("name"))
    starts_at = LocalDateTimeField(label=_("Starts (local time of the metro)"))
    ends_at = LocalDateTimeField(label=_("Ends (local time of the metro)"))
    venue = forms.CharField(label=_("Venue"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=100_000)
    price = forms.DecimalField(label=_("Price"), min_value=0, max_digits=10, decimal_places=2)
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The event must end after it starts."))
        return data


class GuestRegistrationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Your email"))


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, told to everyone registered"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the provider"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when rejecting."),
    )


class SponsorshipForm(forms.Form):
    package = forms.ModelChoiceField(label=_("Package"), queryset=SponsorshipPackage.objects.none())
    company = forms.CharField(label=_("Company"), max_length=150)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    contact_name = forms.CharField(label=_("Contact name"), max_length=150)
    contact_email = forms.EmailField(label=_("Contact email"))
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        required=False,
        help_text=_("Leave empty for the package's price."),
    )

    def __init__(self, *args, packages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if packages is not None:
            self.fields["package"].queryset = packages
            self.fields["package"].label_from_instance = lambda package: (
                f"{package.name} — {package.price} {package.currency}"
            )


class SponsorshipStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Sponsorship.Status.choices)
    invoice_number = forms.CharField(max_length=40, required=False)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = MarketplaceSettings
        fields = ["default_revenue_share", "default_currency", "offer_hours"]


class ProviderGrantForm(forms.Form):
    email = forms.EmailField(label=_("Member's email"))


class EventFilterForm(forms.Form):
    """The event list's filters. The choices can run to hundreds of apps and metros: they are
    read as (id, name) only and rendered in one pass (network.widgets.CompactSelect)."""

    metro = forms.ModelChoiceField(
        label=_("Metro"),
        queryset=Metro.objects.only("id", "name").order_by("name"),
        required=False,
        empty_label=_("All metros"),
        widget=CompactSelect,
    )
    app = forms.ModelChoiceField(
        label=_("App"),
        queryset=App.objects.none(),
        required=False,
        empty_label=_("All apps"),
        widget=CompactSelect,
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, apps=None, **kwargs):
        super().__init__(*args, **kwargs)
        if apps is not None:
            self.fields["app"].queryset = apps.select_related(None).only("id", "name")
        keep_choices(self.fields["metro"])
        keep_choices(self.fields["app"])


REPORT_GROUP_LABELS = {
    "app": _("App"),
    "provider": _("Provider"),
    "metro": _("Metro"),
    "month": _("Month"),
}


class ReportForm(forms.Form):
    group_by = forms.ChoiceField(
        label=_("Group by"),
        choices=[(key, REPORT_GROUP_LABELS[key]) for key in REPORT_GROUPS],
        required=False,
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class StatementForm(forms.Form):
    month = forms.CharField(
        label=_("Month"),
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}),
    )
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=None, required=False)

    def __init__(self, *args, providers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if providers is None:
            del self.fields["provider"]
        else:
            self.fields["provider"].queryset = providers

    def clean_month(self):
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            return None
        try:
            return datetime.datetime.strptime(value, "%Y-%m").date()
        except ValueError as error:
            raise forms.ValidationError(_("Use the form 2026-03.")) from error
