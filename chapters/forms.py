from django import forms
from django.utils.translation import gettext_lazy as _

from network.models import Entrepreneur, Metro, Sector

from .models import ChapterSettings


class EntrepreneurChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Entrepreneur) -> str:
        company = f" — {obj.company}" if obj.company else ""
        sector = obj.sector.name if obj.sector_id else "no sector"
        return f"{obj.user.name or obj.user.email}{company} ({sector})"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Entrepreneur) -> str:
        company = f" — {obj.company}" if obj.company else ""
        sector = obj.sector.name if obj.sector_id else "no sector"
        return f"{obj.user.name or obj.user.email}{company} ({sector})"


def people_in(metro_id: int, *, exclude_user_id: int | None = None):
    queryset = (
        Entrepreneur.objects.filter(
            metro_id=metro_id, is_active=True, sector__isnull=False, user__is_active=True
        )
        .select_related("user", "sector")
        .order_by("sector__name", "user__name")
    )
    if exclude_user_id:
        queryset = queryset.exclude(user_id=exclude_user_id)
    return queryset


class ChapterProposeForm(forms.Form):
    name = forms.CharField(
        label=_("Chapter name"), max_length=120, help_text=_("e.g. “Lyon Tuesday Founders”.")
    )
    description = forms.CharField(
        label=_("What the chapter is about"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    invitees = EntrepreneurChoiceField(
        label=_("Founding invitees"),
        queryset=Entrepreneur.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_(
            "People of your metro, one per sector (nobody sits with a direct competitor). "
            "Each gets an invitation by email; you can invite more later."
        ),
    )
    message = forms.CharField(
        label=_("Personal message to the invitees"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    accept_agreement = forms.BooleanField(
        label=_("I accept the collaboration agreement shown above"), required=True
    )

    def __init__(self, *args, metro_id: int | None, user_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        if metro_id:
            self.fields["invitees"].queryset = people_in(metro_id, exclude_user_id=user_id)


class ChapterEditForm(forms.Form):
    name = forms.CharField(label=_("Chapter name"), max_length=120)
    description = forms.CharField(
        label=_("What the chapter is about"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class InvitationForm(forms.Form):
    person = PersonChoiceField(
        label=_("Someone of the network"),
        queryset=Entrepreneur.objects.none(),
        required=False,
        help_text=_("Choose a member of this metro, or write the email of a new person below."),
    )
    email = forms.EmailField(label=_("Or an email address"), required=False)
    name = forms.CharField(label=_("Their name"), required=False, max_length=150)
    sector = forms.ModelChoiceField(
        label=_("Their sector"),
        queryset=Sector.objects.filter(is_active=True),
        required=False,
        help_text=_(
            "For a new person: the seat they would take. Members take their profile's sector."
        ),
    )
    message = forms.CharField(
        label=_("Personal message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, metro_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_in(metro_id)

    def clean(self):
        data = super().clean()
        person = data.get("person")
        if person is not None:
            data["email"] = person.user.email
            data["name"] = data.get("name") or person.user.name
            data["sector"] = data.get("sector") or person.sector
        elif not data.get("email") and "email" not in self.errors:
            raise forms.ValidationError(_("Choose a member or write an email address."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you object?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the chapter's facilitators read this; the invitee never does."),
    )


class MessageForm(forms.Form):
    message = forms.CharField(
        label=_("Message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Why this chapter?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AcceptForm(forms.Form):
    company = forms.CharField(label=_("Your company"), required=False, max_length=150)
    accept_agreement = forms.BooleanField(
        label=_("I accept the collaboration agreement"), required=True
    )

    def __init__(self, *args, needs_profile: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_profile:
            del self.fields["company"]


class AgreementForm(forms.Form):
    text = forms.CharField(
        label=_("Agreement text"), max_length=10000, widget=forms.Textarea(attrs={"rows": 12})
    )


class ChapterSettingsForm(forms.ModelForm):
    class Meta:
        model = ChapterSettings
        fields = [
            "min_size",
            "max_size",
            "seats_per_sector",
            "objection_window_days",
            "dormant_after_months",
            "invitation_valid_days",
        ]


class SeedCreateForm(forms.Form):
    metro = forms.ModelChoiceField(queryset=Metro.objects.all(), widget=forms.HiddenInput)
    people = forms.ModelMultipleChoiceField(
        queryset=Entrepreneur.objects.select_related("user", "sector"),
        widget=forms.MultipleHiddenInput,
    )
    name = forms.CharField(label=_("Chapter name"), required=False, max_length=120)
