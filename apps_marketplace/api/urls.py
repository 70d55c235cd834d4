from django.urls import path

from . import views

urlpatterns = [
    path("marketplace/apps/", views.AppListView.as_view(), name="app-list"),
    path("marketplace/apps/<int:pk>/", views.AppDetailView.as_view(), name="app-detail"),
    path(
        "marketplace/apps/<int:pk>/approve/",
        views.AppReviewView.as_view(decision="approve"),
        name="app-approve",
    ),
    path(
        "marketplace/apps/<int:pk>/reject/",
        views.AppReviewView.as_view(decision="reject"),
        name="app-reject",
    ),
    path("marketplace/events/", views.EventListView.as_view(), name="event-list"),
    path("marketplace/events/<int:pk>/", views.EventDetailView.as_view(), name="event-detail"),
    path(
        "marketplace/events/<int:pk>/publish/",
        views.EventPublishView.as_view(),
        name="event-publish",
    ),
    path(
        "marketplace/events/<int:pk>/cancel/", views.EventCancelView.as_view(), name="event-cancel"
    ),
    path(
        "marketplace/events/<int:pk>/register/",
        views.EventRegisterView.as_view(),
        name="event-register",
    ),
    path(
        "marketplace/events/<int:pk>/registrations/",
        views.EventRegistrationsView.as_view(),
        name="event-registrations",
    ),
    path(
        "marketplace/registrations/", views.RegistrationListView.as_view(), name="registration-list"
    ),
    path(
        "marketplace/registrations/<int:pk>/",
        views.RegistrationDetailView.as_view(),
        name="registration-detail",
    ),
    *[
        path(
            f"marketplace/registrations/<int:pk>/{action}/",
            views.RegistrationActionView.as_view(action_name=action),
            name=f"registration-{action}",
        )
        for action in ("cancel", "confirm", "check-in", "paid")
    ],
    path("marketplace/sponsorships/", views.SponsorshipListView.as_view(), name="sponsorship-list"),
    path(
        "marketplace/sponsorships/<int:pk>/",
        views.SponsorshipDetailView.as_view(),
        name="sponsorship-detail",
    ),
    path(
        "marketplace/sponsorships/<int:pk>/status/",
        views.SponsorshipStatusView.as_view(),
        name="sponsorship-status",
    ),
]
