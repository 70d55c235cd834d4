"""Forms of the election pages. Validation of the rules lives in the services; forms parse input
and show the services' errors next to the right field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import User
from governance.models import GovernanceSettings

from . import ballots as ballot_crypto
from .errors import ElectionError
from .models import Candidate, Election, Method


def form_add_error(form: forms.BaseForm, error) -> None:
    """Show a service's ApplicationError on its field, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class ElectionForm(forms.Form):
    """Times are entered in the viewer's time zone (the view activates it)."""

    title = forms.CharField(label=_("Title"), max_length=150)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the board does, what the term involves, how candidates can prepare."),
    )
    seats = forms.IntegerField(label=_("Seats to fill"), min_value=1, max_value=50, initial=3)
    method = forms.ChoiceField(
        label=_("Counting method"),
        choices=Method.choices,
        initial=Method.MEEK,
        help_text=_(
            "STV (Meek or Scottish rules): voters rank candidates; proportional. Approval: tick "
            "any number. Plurality at large: tick up to the number of seats."
        ),
    )
    electorate = forms.ChoiceField(
        label=_("Who votes"), choices=GovernanceSettings.Electorate.choices
    )
    quorum_percent = forms.DecimalField(
        label=_("Quorum: minimum turnout (%)"),
        required=False,
        min_value=0.01,
        max_value=100,
        decimal_places=2,
        help_text=_("Leave empty for none. Below it, the count gives no result."),
    )
    nominations_open = forms.DateTimeField(
        label=_("Nominations open"), widget=DateTimeLocalInput, input_formats=DATETIME_FORMATS
    )
    nominations_close = forms.DateTimeField(
        label=_("Nominations close"), widget=DateTimeLocalInput, input_formats=DATETIME_FORMATS
    )
    voting_open = forms.DateTimeField(
        label=_("Voting opens"), widget=DateTimeLocalInput, input_formats=DATETIME_FORMATS
    )
    voting_close = forms.DateTimeField(
        label=_("Voting closes"), widget=DateTimeLocalInput, input_formats=DATETIME_FORMATS
    )
    term_start = forms.DateField(label=_("Board term starts"), widget=DateInput)
    term_end = forms.DateField(label=_("Board term ends"), widget=DateInput)

    @classmethod
    def initial_from(cls, election: Election) -> dict:
        return {name: getattr(election, name) for name in cls.base_fields}


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the election cancelled?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the election's page. Ballots already cast are discarded."),
    )


class OfficerForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Appoint an officer"), queryset=User.objects.none())

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users if users is not None else User.objects.none()


class NominateForm(forms.Form):
    SELF = "self"
    OTHER = "other"

    who = forms.ChoiceField(
        label=_("Who do you nominate?"),
        choices=[(SELF, _("Myself")), (OTHER, _("A colleague"))],
        widget=forms.RadioSelect,
        initial=SELF,
    )
    nominee = forms.ModelChoiceField(
        label=_("Colleague"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Current members of a steering committee. They are asked to accept."),
    )
    statement = forms.CharField(
        label=_("Your candidate statement"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "When nominating yourself: what you would bring to the board (shown to voters)."
        ),
    )

    def __init__(self, *args, nominees=None, can_stand=False, can_nominate_others=False, **kw):
        super().__init__(*args, **kw)
        self.fields["nominee"].queryset = nominees if nominees is not None else User.objects.none()
        choices = []
        if can_stand:
            choices.append((self.SELF, _("Myself")))
        if can_nominate_others:
            choices.append((self.OTHER, _("A colleague")))
        self.fields["who"].choices = choices
        if len(choices) == 1:
            self.fields["who"].initial = choices[0][0]

    def clean(self):
        data = super().clean()
        if data.get("who") == self.OTHER and not data.get("nominee"):
            self.add_error("nominee", _("Choose the colleague you nominate."))
        return data


class StatementForm(forms.Form):
    statement = forms.CharField(
        label=_("Candidate statement"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Shown to voters next to your name."),
    )


class BallotForm(forms.Form):
    """The ballot paper, candidates in this voter's order.

    STV: a number box per candidate (1 = first choice); ranks must run 1, 2, 3… with no gaps or
    repeats. Approval: a tick box per candidate. Plurality at large: tick up to `seats`."""

    def __init__(self, *args, election: Election, candidates: list[Candidate], **kwargs):
        super().__init__(*args, **kwargs)
        self.election = election
        self.candidates = candidates
        count = len(candidates)
        for candidate in candidates:
            name = f"c{candidate.number}"
            if election.is_ranked:
                self.fields[name] = forms.IntegerField(
                    label=candidate.user.name or candidate.user.email,
                    required=False,
                    min_value=1,
                    max_value=count,
                    widget=forms.NumberInput(
                        attrs={"inputmode": "numeric", "class": "ballot__rank", "size": 3}
                    ),
                )
            else:
                self.fields[name] = forms.BooleanField(
                    label=candidate.user.name or candidate.user.email, required=False
                )

    def rows(self):
        """(candidate, bound field) in this voter's order, for the template."""
        return [(candidate, self[f"c{candidate.number}"]) for candidate in self.candidates]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            if self.election.is_ranked:
                ranks = {c.number: data.get(f"c{c.number}") for c in self.candidates}
                data["choices"] = ballot_crypto.ranking_from_ranks(ranks)
            else:
                ticked = [c.number for c in self.candidates if data.get(f"c{c.number}")]
                maximum = self.election.seats if self.election.method == Method.PLURALITY else None
                data["choices"] = ballot_crypto.ticks_checked(ticked=ticked, maximum=maximum)
        except ElectionError as error:
            raise forms.ValidationError(error.message) from error
        return data


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Your receipt code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "placeholder": "XXXX-XXXX-…"}
        ),
        help_text=_("The code you were given when you voted, e.g. 7K2M-9QXA-…"),
    )

    def clean_code(self):
        code = ballot_crypto.receipt_code_normalise(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("A receipt code has 20 letters and digits, in five groups of four.")
            )
        return code


class BltCountForm(forms.Form):
    file = forms.FileField(label=_("BLT file"), help_text=_("At most 5 MB."))
    method = forms.ChoiceField(label=_("Counting method"), choices=Method.choices)
    seed = forms.CharField(
        label=_("Seed of the lot"),
        max_length=40,
        initial="0",
        help_text=_("For ties the rules cannot break; an election's results page gives its own."),
    )
