"""Pages of meetings. Every page is for the chapter's current members (404 for anybody else,
organisation admins included); facilitator pages answer 403 to the other members. Thin: parse
the form, call one selector or service, render or redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from core.errors import ApplicationError
from core.errors import PermissionDenied as AppPermissionDenied
from core.pagecache import cached_page

from . import selectors, services
from .advice import reads_as_advice
from .forms import (
    AttendanceForm,
    CancelForm,
    FollowUpForm,
    MeetingTimeForm,
    MinutesForm,
    ReminderPreferenceForm,
    RsvpForm,
    ScheduleForm,
    ShareForm,
    StoryForm,
    form_add_error,
)
from .ical import calendar_for
from .models import Meeting

ADVICE_HINT = gettext_lazy(
    "This reads a little like advice (“you should…”). Stories work best told as what happened: "
    "“When we faced this, we…”. It is saved either way."
)


def _forbidden_or_message(request, error: ApplicationError) -> None:
    if isinstance(error, AppPermissionDenied):
        raise DjangoPermissionDenied(error.message) from error
    messages.error(request, error.message)


def _require_facilitator(request, meeting_or_chapter) -> None:
    chapter = getattr(meeting_or_chapter, "chapter", meeting_or_chapter)
    if not selectors.is_facilitator(request.user, chapter):
        raise DjangoPermissionDenied(_("Only the chapter's facilitators can do this."))


# --- Lists and the schedule ---------------------------------------------------------------------


@login_required
def my_meetings(request):
    from chapters.selectors import chapters_of

    return render(
        request,
        "meetings/mine.html",
        {
            "meetings": selectors.upcoming_meetings_of(request.user),
            "chapters": list(chapters_of(request.user)),
        },
    )


@login_required
def chapter_meetings(request, chapter_pk: int):
    chapter = selectors.get_member_chapter_for(request.user, chapter_pk)
    return render(
        request,
        "meetings/chapter.html",
        {
            "chapter": chapter,
            "schedule": selectors.schedule_of(chapter),
            "upcoming": list(selectors.upcoming_meetings_of_chapter(chapter)[:12]),
            "past": list(selectors.past_meetings_of_chapter(chapter)[:24]),
            "is_facilitator": selectors.is_facilitator(request.user, chapter),
        },
    )


@login_required
def schedule_edit(request, chapter_pk: int):
    chapter = selectors.get_member_chapter_for(request.user, chapter_pk)
    _require_facilitator(request, chapter)
    schedule = selectors.schedule_of(chapter)
    tz = chapter.metro.tzinfo
    form = ScheduleForm(request.POST or None, initial=ScheduleForm.initial_for(schedule, tz))
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_save(chapter=chapter, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            if isinstance(error, AppPermissionDenied):
                raise DjangoPermissionDenied(error.message) from error
            form_add_error(form, error)
        else:
            messages.success(request, _("Schedule saved; meetings are planned three months ahead."))
            return redirect("meetings:chapter", chapter_pk=chapter.pk)
    return render(
        request,
        "meetings/schedule_form.html",
        {
            "chapter": chapter,
            "form": form,
            "schedule": schedule,
        },
        status=400 if form.errors else 200,
    )


@login_required
def meeting_add(request, chapter_pk: int):
    chapter = selectors.get_member_chapter_for(request.user, chapter_pk)
    _require_facilitator(request, chapter)
    tz = chapter.metro.tzinfo
    form = MeetingTimeForm(
        request.POST or None,
        tz=tz,
        initial=MeetingTimeForm.initial_new(tz, selectors.schedule_of(chapter)),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_add_one_off(
                chapter=chapter,
                actor=request.user,
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                location=data["location"],
                video_url=data["video_url"],
            )
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("Meeting added; members are told."))
            return redirect("meetings:meeting", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {
            "chapter": chapter,
            "form": form,
            "title": _("Add a meeting"),
        },
        status=400 if form.errors else 200,
    )


@login_required
def attendance_history(request, chapter_pk: int):
    chapter = selectors.get_member_chapter_for(request.user, chapter_pk)
    return render(
        request,
        "meetings/attendance_history.html",
        {
            "chapter": chapter,
            "history": selectors.attendance_history_of_chapter(chapter),
            "mine": list(selectors.attendance_history_of_member(chapter, request.user)[:24]),
        },
    )


# --- One meeting --------------------------------------------------------------------------------


def _meeting_context(request, meeting: Meeting, **forms) -> dict:
    view = selectors.meeting_view_for(meeting, request.user)
    for share in view.shares:
        if share.author_id == request.user.pk:
            continue
        mine = next((s for s in share.stories.all() if s.author_id == request.user.pk), None)
        share.my_story = mine
        bound = forms.get("story_forms", {}).get(share.pk)
        share.story_form = bound or StoryForm(
            field_id=f"story-{share.pk}", initial={"text": mine.text if mine else ""}
        )
        share.story_hint = bool(bound and reads_as_advice(bound.data.get("text", "")))
    my_share = view.my_share
    my_previous = view.my_previous_share
    previous_follow_up = getattr(my_previous, "follow_up", None) if my_previous else None
    return {
        "meeting": meeting,
        "chapter": meeting.chapter,
        "view": view,
        "rsvp_form": forms.get("rsvp_form")
        or RsvpForm(initial={"answer": view.my_rsvp.answer if view.my_rsvp else None}),
        "share_form": forms.get("share_form")
        or ShareForm(
            initial={
                "success": my_share.success if my_share else "",
                "challenge": my_share.challenge if my_share else "",
            }
        ),
        "follow_up_form": forms.get("follow_up_form")
        or FollowUpForm(initial={"text": previous_follow_up.text if previous_follow_up else ""}),
        "my_follow_up": previous_follow_up,
        "advice_hint": ADVICE_HINT,
    }


def _render_meeting(request, meeting: Meeting, *, status: int = 200, **forms):
    return render(
        request, "meetings/meeting.html", _meeting_context(request, meeting, **forms), status=status
    )


@login_required
@cached_page
def meeting_detail(request, pk: int):
    meeting = selectors.get_meeting_for(request.user, pk)
    return _render_meeting(request, meeting)


@login_required
@require_POST
def meeting_rsvp(request, pk: int):
    meeting = selectors.get_meeting_for(request.user, pk)
    form = RsvpForm(request.POST)
    if form.is_valid():
        try:
            services.rsvp_set(
                meeting=meeting, user=request.user, answer=form.cleaned_data["answer"]
            )
        except ApplicationError as error:
            _forbidden_or_message(request, error)
        else:
            messages.success(request, _("Your answer is saved."))
            return redirect("meetings:meeting", pk=meeting.pk)
    return _render_meeting(request, meeting, status=400, rsvp_form=form)


@login_required
def share_edit(request, pk: int):
    meeting = selectors.get_meeting_for(request.user, pk)
    if request.method != "POST":
        return redirect(reverse("meetings:meeting", args=[meeting.pk]) + "#my-share")
    form = ShareForm(request.POST)
    if form.is_valid():
        try:
            services.share_save(meeting=meeting, user=request.user, **form.cleaned_data)
        except ApplicationError as error:
            if isinstance(error, AppPermissionDenied):
                raise DjangoPermissionDenied(error.message) from error
            form_add_error(form, error)
        else:
            messages.success(request, _("Your success and challenge are saved."))
            return redirect(reverse("meetings:meeting", args=[meeting.pk]) + "#my-share")
    return _render_meeting(request, meeting, status=400, share_form=form)


@login_required
@require_POST
def story_save(request, pk: int, share_pk: int):
    meeting = selectors.get_meeting_for(request.user, pk)
    share = selectors.get_share_for(request.user, meeting, share_pk)
    form = StoryForm(request.POST, field_id=f"story-{share.pk}")
    if form.is_valid():
        try:
            _story, advice = services.story_save(
                share=share, user=request.user, text=form.cleaned_data["text"]
            )
        except ApplicationError as error:
            if error.field not in form.fields:
                # Not about the text (e.g. one's own challenge, a closed meeting): say so above
                # the page, where the story form may not even be shown.
                _forbidden_or_message(request, error)
                return redirect(reverse("meetings:meeting", args=[meeting.pk]) + "#shares")
            form_add_error(form, error)
        else:
            messages.success(request, _("Your story is saved."))
            if advice:
                messages.warning(request, ADVICE_HINT)
            return redirect(reverse("meetings:meeting", args=[meeting.pk]) + f"#share-{share.pk}")
    return _render_meeting(request, meeting, status=400, story_forms={share.pk: form})


@login_required
@require_POST
def story_delete(request, pk: int, story_pk: int):
    meeting = selectors.get_meeting_for(request.user, pk)
    story = selectors.get_story_for(request.user, meeting, story_pk)
    try:
        services.story_delete(story=story, user=request.user)
    except ApplicationError as error:
        _forbidden_or_message(request, error)
    else:
        messages.success(request, _("Your story is withdrawn."))
    return redirect(reverse("meetings:meeting", args=[meeting.pk]) + f"#share-{story.share_id}")


@login_required
@require_POST
def follow_up_save(request, pk: int):
    meeting = selectors.get_meeting_for(request.user, pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.follow_up_save(
                meeting=meeting, user=request.user, text=form.cleaned_data["text"]
            )
        except ApplicationError as error:
            if isinstance(error, AppPermissionDenied):
                raise DjangoPermissionDenied(error.message) from error
            form_add_error(form, error)
        else:
            messages.success(request, _("Your follow-up is saved."))
            return redirect(reverse("meetings:meeting", args=[meeting.pk]) + "#follow-ups")
    return _render_meeting(request, meeting, status=400, follow_up_form=form)


@require_POST
def advice_check(request):
    """htmx: the hint under a story while it is being written (empty when it reads as a
    story). Never stores anything, never logs the text."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    text = request.POST.get("text", "")[:5000]
    return render(
        request,
        "meetings/_advice_hint.html",
        {
            "show": reads_as_advice(text),
            "advice_hint": ADVICE_HINT,
        },
    )


# --- Facilitator: move, cancel, run, close ------------------------------------------------------


@login_required
def meeting_edit(request, pk: int):
    meeting = selectors.get_meeting_for(request.user, pk)
    _require_facilitator(request, meeting)
    tz = meeting.chapter.metro.tzinfo
    form = MeetingTimeForm(
        request.POST or None, tz=tz, initial=MeetingTimeForm.initial_for(meeting, tz)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_move(
                meeting=meeting,
                actor=request.user,
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                location=data["location"],
                video_url=data["video_url"],
            )
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("Meeting updated; members are told."))
            return redirect("meetings:meeting", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {
            "chapter": meeting.chapter,
            "meeting": meeting,
            "form": form,
            "title": _("Move or change the meeting"),
            "cancel_form": CancelForm(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def meeting_cancel(request, pk: int):
    meeting = selectors.get_meeting_for(request.user, pk)
    _require_facilitator(request, meeting)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_cancel(
                meeting=meeting, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as error:
            _forbidden_or_message(request, error)
        else:
            messages.success(request, _("Meeting cancelled; members are told."))
    return redirect("meetings:meeting", pk=meeting.pk)


def _run_context(request, meeting: Meeting, **forms) -> dict:
    view = selectors.meeting_view_for(meeting, request.user)
    return {
        "meeting": meeting,
        "chapter": meeting.chapter,
        "view": view,
        "attendance_form": forms.get("attendance_form") or AttendanceForm(rows=view.rows),
        "minutes_form": forms.get("minutes_form")
        or MinutesForm(initial={"minutes": meeting.minutes}),
    }


@login_required
def meeting_run(request, pk: int):
    meeting = selectors.get_meeting_for(request.user, pk)
    _require_facilitator(request, meeting)
    return render(request, "meetings/run.html", _run_context(request, meeting))


@login_required
@require_POST
def attendance_save(request, pk: int):
    meeting = selectors.get_meeting_for(request.user, pk)
    _require_facilitator(request, meeting)
    view = selectors.meeting_view_for(meeting, request.user)
    form = AttendanceForm(request.POST, rows=view.rows)
    if form.is_valid():
        try:
            services.attendance_record(
                meeting=meeting, actor=request.user, statuses=form.statuses()
            )
        except ApplicationError as error:
            if isinstance(error, AppPermissionDenied):
                raise DjangoPermissionDenied(error.message) from error
            form_add_error(form, error)
        else:
            messages.success(request, _("Attendance saved."))
            return redirect(reverse("meetings:run", args=[meeting.pk]) + "#attendance")
    return render(
        request,
        "meetings/run.html",
        _run_context(request, meeting, attendance_form=form),
        status=400,
    )


@login_required
@require_POST
def minutes_save(request, pk: int):
    meeting = selectors.get_meeting_for(request.user, pk)
    _require_facilitator(request, meeting)
    form = MinutesForm(request.POST)
    closing = "close" in request.POST
    if form.is_valid():
        try:
            if closing:
                services.meeting_close(
                    meeting=meeting, actor=request.user, minutes=form.cleaned_data["minutes"]
                )
            else:
                services.minutes_save(
                    meeting=meeting, actor=request.user, minutes=form.cleaned_data["minutes"]
                )
        except ApplicationError as error:
            if isinstance(error, AppPermissionDenied):
                raise DjangoPermissionDenied(error.message) from error
            form_add_error(form, error)
        else:
            if closing:
                messages.success(request, _("The meeting is closed and its record locked."))
                return redirect("meetings:meeting", pk=meeting.pk)
            messages.success(request, _("Notes saved."))
            return redirect(reverse("meetings:run", args=[meeting.pk]) + "#minutes")
    return render(
        request, "meetings/run.html", _run_context(request, meeting, minutes_form=form), status=400
    )


# --- Calendars ----------------------------------------------------------------------------------


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def meeting_ics(request, pk: int):
    meeting = selectors.get_meeting_for(request.user, pk)
    local = meeting.starts_at.astimezone(meeting.chapter.metro.tzinfo)
    return _ics_response(
        calendar_for([meeting], name=meeting.chapter.name),
        f"meeting-{local:%Y-%m-%d}.ics",
    )


@require_GET
def feed(request, key: str):
    """A calendar subscription, opened by calendar programs without a session: the secret in
    the URL is the credential. 404 for unknown, revoked or orphaned links."""
    calendar_feed = services.calendar_feed_authenticate(key=key)
    if calendar_feed is None:
        raise Http404("No such calendar.")
    meetings = list(selectors.feed_meetings(calendar_feed))
    name = calendar_feed.chapter.name if calendar_feed.chapter else _("My chapter meetings")
    response = _ics_response(calendar_for(meetings, name=name), "meetings.ics")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    return response


def _calendars_context(request, **extra) -> dict:
    from chapters.selectors import chapters_of

    feeds = list(selectors.calendar_feeds_of(request.user))
    by_chapter = {f.chapter_id: f for f in feeds if f.chapter_id is not None}
    return {
        "personal_feed": next((f for f in feeds if f.chapter_id is None), None),
        "chapter_rows": [(c, by_chapter.get(c.pk)) for c in chapters_of(request.user)],
        **extra,
    }


@login_required
def calendars(request):
    if request.method != "POST":
        return render(request, "meetings/calendars.html", _calendars_context(request))
    chapter = None
    if request.POST.get("chapter"):
        try:
            chapter_pk = int(request.POST["chapter"])
        except ValueError as error:
            raise Http404("No such chapter.") from error
        chapter = selectors.get_member_chapter_for(request.user, chapter_pk)
    try:
        feed_row, key = services.calendar_feed_create(user=request.user, chapter=chapter)
    except ApplicationError as error:
        _forbidden_or_message(request, error)
        return redirect("meetings:calendars")
    url = request.build_absolute_uri(reverse("meetings:feed", args=[key]))
    return render(
        request,
        "meetings/calendars.html",
        _calendars_context(
            request,
            new_feed=feed_row,
            new_url=url,
            new_webcal=url.replace("https://", "webcal://").replace("http://", "webcal://"),
        ),
    )


@login_required
@require_POST
def calendar_revoke(request, feed_pk: int):
    feed_row = selectors.get_calendar_feed_for(request.user, feed_pk)
    services.calendar_feed_revoke(feed=feed_row, user=request.user)
    messages.success(request, _("That calendar link no longer works."))
    return redirect("meetings:calendars")


# --- Preferences --------------------------------------------------------------------------------


@login_required
def preferences(request):
    current = selectors.reminder_preference_of(request.user)
    form = ReminderPreferenceForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.reminder_preferences_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your reminder choices are saved."))
        return redirect("meetings:preferences")
    return render(request, "meetings/preferences.html", {"form": form})
