from django.urls import path

from . import views

urlpatterns = [
    path("meetings/", views.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("meetings/<int:pk>/rsvps/", views.RsvpView.as_view(), name="meeting-rsvps"),
    path(
        "meetings/<int:pk>/attendance/", views.AttendanceView.as_view(), name="meeting-attendance"
    ),
    path("meetings/<int:pk>/shares/", views.ShareListView.as_view(), name="meeting-shares"),
    path("meetings/<int:pk>/shares/mine/", views.MyShareView.as_view(), name="meeting-my-share"),
    path(
        "meetings/<int:pk>/shares/<int:share_pk>/story/",
        views.StoryView.as_view(),
        name="meeting-story",
    ),
    path(
        "meetings/<int:pk>/stories/<int:story_pk>/",
        views.StoryDeleteView.as_view(),
        name="meeting-story-delete",
    ),
    path("meetings/<int:pk>/close/", views.CloseView.as_view(), name="meeting-close"),
]
