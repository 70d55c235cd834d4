import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Country, Entrepreneur, Metro, Region, Sector
from .selectors import metros_list, regions_list
from .widgets import CompactSelect, keep_choices

TIME_ZONE_CHOICES = [("", "—")] + [
    (name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name
]


class MetroChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, metro: Metro) -> str:
        return f"{metro.name} — {metro.region.name}, {metro.region.country.name}"


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, region: Region) -> str:
        return f"{region.name}, {region.country.name}"


def form_add_error(form: forms.BaseForm, error) -> None:
    """Show a service's ApplicationError on its field, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


class CountryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    code = forms.CharField(
        label=_("ISO code"), max_length=2, min_length=2, help_text=_("Two letters, e.g. FR.")
    )


class RegionForm(forms.Form):
    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.order_by("name"))
    name = forms.CharField(label=_("Name"), max_length=100)


class MetroForm(forms.Form):
    region = RegionChoiceField(label=_("Region"), queryset=Region.objects.none())
    name = forms.CharField(label=_("Name"), max_length=100)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=TIME_ZONE_CHOICES,
        help_text=_("Meetings in this metro are shown in this IANA time zone."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_list()


class SectorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    description = forms.CharField(label=_("Description"), max_length=240, required=False)


class EntrepreneurForm(forms.Form):
    company = forms.CharField(label=_("Company"), max_length=150, required=False)
    role = forms.CharField(
        label=_("Role"), max_length=120, required=False, help_text=_("e.g. Founder & CEO")
    )
    metro = MetroChoiceField(
        label=_("Metro"),
        queryset=Metro.objects.none(),
        required=False,
        help_text=_("Where you spend your time: chapters meet in one metro."),
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.none(),
        required=False,
        help_text=_(
            "Your vertical: a chapter seats one member per sector, so nobody sits with "
            "a direct competitor."
        ),
    )
    bio = forms.CharField(
        label=_("Short bio"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    website = forms.CharField(label=_("Website"), max_length=200, required=False)
    linkedin = forms.CharField(
        label=_("LinkedIn"),
        max_length=200,
        required=False,
        help_text=_("e.g. https://www.linkedin.com/in/your-name"),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
        help_text=_("A JPEG, PNG, WebP or GIF image of at most 2 MB."),
    )
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)
    visibility = forms.ChoiceField(
        label=_("Who can see my profile"),
        choices=Entrepreneur.Visibility.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, entrepreneur: Entrepreneur, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "company": entrepreneur.company,
                "role": entrepreneur.role,
                "metro": entrepreneur.metro_id,
                "sector": entrepreneur.sector_id,
                "bio": entrepreneur.bio,
                "website": entrepreneur.website,
                "linkedin": entrepreneur.linkedin,
                "visibility": entrepreneur.visibility,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["metro"].queryset = metros_list()
        sectors = Sector.objects.filter(is_active=True)
        if entrepreneur.sector_id:
            sectors = Sector.objects.filter(pk=entrepreneur.sector_id) | sectors
        self.fields["sector"].queryset = sectors.order_by("name")
        if not entrepreneur.photo:
            del self.fields["remove_photo"]

    def profile_values(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in (
                "company",
                "role",
                "metro",
                "sector",
                "bio",
                "website",
                "linkedin",
                "visibility",
            )
        }


class DirectoryForm(forms.Form):
    """The directory's search and filters (GET)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, company, bio…")}),
    )
    metro = forms.ModelChoiceField(
        label=_("Metro"),
        queryset=Metro.objects.none(),
        required=False,
        empty_label=_("All metros"),
        widget=CompactSelect,
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.none(),
        required=False,
        empty_label=_("All sectors"),
        widget=CompactSelect,
    )
    unaffiliated = forms.BooleanField(label=_("Not in a chapter yet"), required=False)
    status = forms.ChoiceField(
        label=_("Accounts"),
        required=False,
        choices=[("active", _("Active")), ("deactivated", _("Deactivated")), ("all", _("All"))],
    )

    def __init__(self, *args, is_admin: bool, metros, sectors, **kwargs):
        super().__init__(*args, **kwargs)
        # A network has a hundred metros or more: the filter needs their id and name only.
        self.fields["metro"].queryset = metros.only("id", "name")
        self.fields["sector"].queryset = sectors
        keep_choices(self.fields["metro"])
        keep_choices(self.fields["sector"])
        if not is_admin:
            del self.fields["status"]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=_(
            "UTF-8 CSV, at most 5 MB and 20,000 rows. First line: name, email, company, "
            "metro, sector — and optionally role, bio."
        ),
    )
    send_invitations = forms.BooleanField(
        label=_("Email each new member a link to choose their password"), required=False
    )
