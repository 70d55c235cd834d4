from django.urls import path

from . import views

urlpatterns = [
    path("governance/committees/", views.CommitteeListView.as_view(), name="committee-list"),
    path(
        "governance/committees/<int:pk>/",
        views.CommitteeDetailView.as_view(),
        name="committee-detail",
    ),
    path(
        "governance/committees/<int:pk>/stand-down/",
        views.CommitteeStandDownView.as_view(),
        name="committee-stand-down",
    ),
    path(
        "governance/committees/<int:pk>/seats/",
        views.CommitteeSeatsView.as_view(),
        name="committee-seats",
    ),
    path("governance/seats/<int:pk>/", views.SeatDetailView.as_view(), name="seat-detail"),
    path("governance/seats/<int:pk>/end/", views.SeatEndView.as_view(), name="seat-end"),
    path("governance/settings/", views.SettingsView.as_view(), name="settings"),
    path("governance/density/", views.DensityView.as_view(), name="density"),
    path("governance/escalations/", views.EscalationListView.as_view(), name="escalation-list"),
    path(
        "governance/escalations/counts/",
        views.EscalationCountsView.as_view(),
        name="escalation-counts",
    ),
    path(
        "governance/escalations/<int:pk>/",
        views.EscalationDetailView.as_view(),
        name="escalation-detail",
    ),
    path(
        "governance/escalations/<int:pk>/acknowledge/",
        views.EscalationAcknowledgeView.as_view(),
        name="escalation-acknowledge",
    ),
    path(
        "governance/escalations/<int:pk>/escalate/",
        views.EscalationEscalateView.as_view(),
        name="escalation-escalate",
    ),
    path(
        "governance/escalations/<int:pk>/resolve/",
        views.EscalationResolveView.as_view(),
        name="escalation-resolve",
    ),
    path(
        "governance/escalations/<int:pk>/assign/",
        views.EscalationAssignView.as_view(),
        name="escalation-assign",
    ),
    path(
        "governance/escalations/<int:pk>/comments/",
        views.EscalationCommentsView.as_view(),
        name="escalation-comments",
    ),
    path(
        "governance/escalations/<int:pk>/attachments/<int:attachment_pk>/",
        views.EscalationAttachmentView.as_view(),
        name="escalation-attachment",
    ),
]
