from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.my_meetings, name="mine"),
    path("chapters/<int:chapter_pk>/", views.chapter_meetings, name="chapter"),
    path("chapters/<int:chapter_pk>/schedule/", views.schedule_edit, name="schedule"),
    path("chapters/<int:chapter_pk>/add/", views.meeting_add, name="add"),
    path(
        "chapters/<int:chapter_pk>/attendance/", views.attendance_history, name="attendance-history"
    ),
    path("<int:pk>/", views.meeting_detail, name="meeting"),
    path("<int:pk>/rsvp/", views.meeting_rsvp, name="rsvp"),
    path("<int:pk>/share/", views.share_edit, name="share"),
    path("<int:pk>/shares/<int:share_pk>/story/", views.story_save, name="story"),
    path("<int:pk>/stories/<int:story_pk>/delete/", views.story_delete, name="story-delete"),
    path("<int:pk>/follow-up/", views.follow_up_save, name="follow-up"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/run/", views.meeting_run, name="run"),
    path("<int:pk>/attendance/", views.attendance_save, name="attendance"),
    path("<int:pk>/minutes/", views.minutes_save, name="minutes"),
    path("<int:pk>/meeting.ics", views.meeting_ics, name="ics"),
    path("advice-check/", views.advice_check, name="advice-check"),
    path("preferences/", views.preferences, name="preferences"),
    path("calendars/", views.calendars, name="calendars"),
    path("calendars/<int:feed_pk>/revoke/", views.calendar_revoke, name="calendar-revoke"),
    path("feed/<str:key>.ics", views.feed, name="feed"),
]
