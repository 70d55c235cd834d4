from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from network.models import Country, Metro, Region
from network.widgets import CompactSelect

from .models import PLACE_LEVELS, CommitteeMembership, Escalation, GovernanceSettings, Level


def form_add_error(form: forms.BaseForm, error) -> None:
    """Show a service's ApplicationError on its field, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={
                    "accept": ".pdf,.png,.jpg,.jpeg,.txt,.docx",
                }
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class EscalationForm(forms.Form):
    chapter = forms.ModelChoiceField(label=_("From which chapter"), queryset=None)
    category = forms.ChoiceField(label=_("Category"), choices=Escalation.Category.choices)
    title = forms.CharField(
        label=_("Summary"), max_length=150, help_text=_("One line the committee sees in its queue.")
    )
    description = forms.CharField(
        label=_("What happened, and what you ask the committee to do"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Only what you write here reaches the committee — never your chapter's "
            "shares or stories."
        ),
    )
    anonymous = forms.BooleanField(
        label=_("Hide my name from the committees"),
        required=False,
        help_text=_(
            "Committees see “the raiser” instead of your name, on the page, in comments "
            "and in emails. Commons still knows it is you, so that you can follow up."
        ),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Up to 5 files: PDF, PNG, JPG, TXT or DOCX, at most 5 MB each."),
    )

    def __init__(self, *args, chapters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chapter"].queryset = chapters
        self.fields["chapter"].label_from_instance = lambda chapter: (
            f"{chapter.name} ({chapter.metro.name})"
        )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class EscalateForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the next level should take this up"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ResolveForm(forms.Form):
    decision = forms.CharField(
        label=_("Decision"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The raiser reads this."),
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assign to"), queryset=None, required=False, empty_label=_("Nobody (unassign)")
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = members


class QueueFilterForm(forms.Form):
    STATUS_CHOICES = [
        ("active", _("Open or acknowledged")),
        ("open", _("Open")),
        ("acknowledged", _("Acknowledged")),
        ("resolved", _("Resolved")),
        ("all", _("All")),
    ]
    SCOPE_CHOICES = [
        ("here", _("With us now")),
        ("reached", _("Everything that reached us")),
    ]
    ASSIGNED_CHOICES = [("", _("Anyone")), ("me", _("Me")), ("unassigned", _("Nobody"))]

    # Drawn on every view of the queue: selects written in one pass (network.widgets)
    committee = forms.TypedChoiceField(
        label=_("Committee"), coerce=int, required=False, widget=CompactSelect
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=STATUS_CHOICES, required=False, widget=CompactSelect
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("Any")), *Escalation.Category.choices],
        required=False,
        widget=CompactSelect,
    )
    scope = forms.ChoiceField(
        label=_("Show"), choices=SCOPE_CHOICES, required=False, widget=CompactSelect
    )
    assigned = forms.ChoiceField(
        label=_("Assigned to"), choices=ASSIGNED_CHOICES, required=False, widget=CompactSelect
    )
    overdue = forms.BooleanField(label=_("Past the deadline only"), required=False)

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].choices = [(c.pk, c.name) for c in committees]


def place_choices() -> list:
    """Grouped choices "metro:12" etc. for the committee form."""
    return [
        (
            _("Metros"),
            [
                (f"metro:{m.pk}", f"{m.name} — {m.region.name}")
                for m in Metro.objects.select_related("region").order_by("name")
            ],
        ),
        (
            _("Regions"),
            [
                (f"region:{r.pk}", f"{r.name} — {r.country.name}")
                for r in Region.objects.select_related("country").order_by("name")
            ],
        ),
        (_("Countries"), [(f"country:{c.pk}", c.name) for c in Country.objects.order_by("name")]),
    ]


PLACE_MODELS = {Level.METRO: Metro, Level.REGION: Region, Level.COUNTRY: Country}


class CommitteeCreateForm(forms.Form):
    place = forms.ChoiceField(label=_("Place"), choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = place_choices()

    def clean_place(self):
        value = self.cleaned_data["place"]
        level, _sep, pk = value.partition(":")
        if level not in PLACE_LEVELS or not pk.isdigit():
            raise forms.ValidationError(_("Choose a metro, region or country."))
        place = PLACE_MODELS[level].objects.filter(pk=int(pk)).first()
        if place is None:
            raise forms.ValidationError(_("That place no longer exists."))
        self.cleaned_data["level"] = level
        return place


class MemberAddForm(forms.Form):
    email = forms.EmailField(
        label=_("Email of the person"), help_text=_("An account of this organisation.")
    )
    role = forms.ChoiceField(label=_("Role"), choices=CommitteeMembership.Role.choices)
    term_start = forms.DateField(
        label=_("Term starts"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: today."),
    )
    term_end = forms.DateField(
        label=_("Term ends"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: open-ended."),
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Nobody in this organisation has that email address."))
        self.cleaned_data["user"] = user
        return email


class MembershipEditForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=CommitteeMembership.Role.choices)
    term_end = forms.DateField(
        label=_("Term ends"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class SettingsForm(forms.ModelForm):
    class Meta:
        model = GovernanceSettings
        fields = [
            "metro_threshold",
            "region_threshold",
            "country_threshold",
            "escalation_deadline_days",
            "reminder_days_before_deadline",
            "election_electorate",
        ]


class AlertDismissForm(forms.Form):
    note = forms.CharField(label=_("Why"), max_length=200, required=False)
