"""Forms of the meetings pages. Times are entered in the metro's local time; `MeetingTimeForm`
turns them into an aware UTC datetime."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import TEXT_MAX, Attendance, MeetingSchedule, ReminderPreference, Rsvp
from .recurrence import local_to_utc

DURATION_CHOICES = [
    (60, _("1 hour")),
    (90, _("1 hour 30")),
    (120, _("2 hours")),
    (150, _("2 hours 30")),
    (180, _("3 hours")),
    (240, _("4 hours")),
]


def form_add_error(form: forms.BaseForm, error) -> None:
    """Show a service's ApplicationError on its field, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


class ScheduleForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Repeats"), choices=MeetingSchedule.Frequency.choices, widget=forms.RadioSelect
    )
    week_position = forms.TypedChoiceField(
        label=_("Which one in the month"),
        coerce=int,
        choices=MeetingSchedule.Position.choices,
        help_text=_("For “monthly, on a weekday”: e.g. the first Tuesday."),
    )
    weekday = forms.TypedChoiceField(
        label=_("Weekday"),
        coerce=int,
        choices=MeetingSchedule.Weekday.choices,
        help_text=_("For monthly-on-a-weekday, weekly and every-other-week meetings."),
    )
    day_of_month = forms.TypedChoiceField(
        label=_("Day of the month"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "—"), *[(day, str(day)) for day in range(1, 29)], (-1, _("last day"))],
        help_text=_("For “monthly, on a day of the month”."),
    )
    start_time = forms.TimeField(
        label=_("Starts at (local time)"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    duration_minutes = forms.TypedChoiceField(
        label=_("Duration"), coerce=int, choices=DURATION_CHOICES, initial=120
    )
    starts_on = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("No meeting is planned before this date."),
    )
    location = forms.CharField(label=_("Venue"), max_length=200, required=False)
    video_url = forms.URLField(
        label=_("Video link"),
        required=False,
        assume_scheme="https",
        help_text=_("For members who join remotely, or for online chapters."),
    )
    is_active = forms.BooleanField(
        label=_("Plan meetings from this schedule"), required=False, initial=True
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("frequency") == MeetingSchedule.Frequency.MONTHLY_DAY
            and data.get("day_of_month") is None
        ):
            self.add_error("day_of_month", _("Choose the day of the month."))
        return data

    @classmethod
    def initial_for(cls, schedule: MeetingSchedule | None, tz: ZoneInfo) -> dict:
        if schedule is None:
            return {
                "frequency": MeetingSchedule.Frequency.MONTHLY_WEEKDAY,
                "week_position": 1,
                "weekday": 1,
                "start_time": time(18, 30),
                "duration_minutes": 120,
                "starts_on": timezone.localdate(timezone=tz),
                "is_active": True,
            }
        return {
            field: getattr(schedule, field)
            for field in (
                "frequency",
                "week_position",
                "weekday",
                "day_of_month",
                "start_time",
                "duration_minutes",
                "starts_on",
                "location",
                "video_url",
                "is_active",
            )
        }


class MeetingTimeForm(forms.Form):
    """A one-off meeting, or moving one: date and time in the metro's time zone."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Starts at (local time)"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    duration_minutes = forms.TypedChoiceField(
        label=_("Duration"), coerce=int, choices=DURATION_CHOICES, initial=120
    )
    location = forms.CharField(label=_("Venue"), max_length=200, required=False)
    video_url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")

    def __init__(self, *args, tz: ZoneInfo, **kwargs):
        self.tz = tz
        super().__init__(*args, **kwargs)
        self.fields["start_time"].help_text = _("In %(tz)s.") % {"tz": str(tz)}

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("start_time"):
            data["starts_at"] = local_to_utc(
                datetime.combine(data["date"], data["start_time"].replace(second=0)), self.tz
            )
        return data

    @classmethod
    def initial_for(cls, meeting, tz: ZoneInfo) -> dict:
        local = timezone.localtime(meeting.starts_at, tz)
        return {
            "date": local.date(),
            "start_time": local.time().replace(second=0, microsecond=0),
            "duration_minutes": meeting.duration_minutes,
            "location": meeting.location,
            "video_url": meeting.video_url,
        }

    @classmethod
    def initial_new(cls, tz: ZoneInfo, schedule: MeetingSchedule | None) -> dict:
        tomorrow = timezone.localdate(timezone=tz) + timedelta(days=7)
        return {
            "date": tomorrow,
            "start_time": schedule.start_time if schedule else time(18, 30),
            "duration_minutes": schedule.duration_minutes if schedule else 120,
            "location": schedule.location if schedule else "",
            "video_url": schedule.video_url if schedule else "",
        }


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown to members)"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Bank holiday")}),
    )


class RsvpForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Will you come?"), choices=Rsvp.Answer.choices, widget=forms.RadioSelect
    )


class ShareForm(forms.Form):
    success = forms.CharField(
        label=_("Your success"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One thing that went well since the last meeting."),
    )
    challenge = forms.CharField(
        label=_("Your challenge"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One issue you are facing, for the others to answer with their stories."),
    )


class StoryForm(forms.Form):
    text = forms.CharField(
        label=_("Your story"),
        max_length=TEXT_MAX,
        help_text=_(
            "Tell how a similar issue was handled — by you or someone you know. "
            "Experience, not advice: the others draw their own conclusions."
        ),
    )

    def __init__(self, *args, field_id: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        hint_id = f"{field_id}-hint" if field_id else "story-hint"
        self.fields["text"].widget = forms.Textarea(
            attrs={
                "rows": 4,
                "id": field_id or "id_text",
                "hx-post": reverse_lazy("meetings:advice-check"),
                "hx-trigger": "input changed delay:700ms",
                "hx-target": f"#{hint_id}",
                "hx-swap": "innerHTML",
                "aria-describedby": hint_id,
            }
        )
        self.hint_id = hint_id


class FollowUpForm(forms.Form):
    text = forms.CharField(
        label=_("What happened since"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Your notes for the chapter: decisions, housekeeping, who follows up on "
            "what. Only the chapter's members can read them."
        ),
    )


class AttendanceForm(forms.Form):
    """One choice per current member: `status_<user id>`."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not recorded")), *Attendance.Status.choices]
        self.member_fields = []
        for row in rows:
            name = f"status_{row.user.pk}"
            self.fields[name] = forms.ChoiceField(
                label=row.user.name or row.user.email,
                choices=choices,
                required=False,
                initial=row.attendance.status if row.attendance else "",
            )
            self.member_fields.append((row, self[name]))

    def statuses(self) -> dict[int, str]:
        return {
            int(name.removeprefix("status_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("status_")
        }


class ReminderPreferenceForm(forms.ModelForm):
    class Meta:
        model = ReminderPreference
        fields = ["prepare", "upcoming", "after"]
