from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("", views.home, name="home"),
    path("committees/new/", views.committee_create, name="committee-create"),
    path("committees/<int:pk>/", views.committee_detail, name="committee"),
    path(
        "committees/<int:pk>/stand-down/", views.committee_stand_down, name="committee-stand-down"
    ),
    path("committees/<int:pk>/reform/", views.committee_reform, name="committee-reform"),
    path("committees/<int:pk>/members/", views.committee_member_add, name="committee-member-add"),
    path("seats/<int:pk>/", views.membership_edit, name="membership-edit"),
    path("seats/<int:pk>/end/", views.membership_end, name="membership-end"),
    path("density/", views.density, name="density"),
    path("density/alerts/<int:pk>/dismiss/", views.alert_dismiss, name="alert-dismiss"),
    path("settings/", views.settings_edit, name="settings"),
    path("queue/", views.queue, name="queue"),
    path("escalations/", views.escalations_mine, name="escalations"),
    path("escalations/new/", views.escalation_new, name="escalation-new"),
    path("escalations/<int:pk>/", views.escalation_detail, name="escalation"),
    path(
        "escalations/<int:pk>/acknowledge/",
        views.escalation_acknowledge,
        name="escalation-acknowledge",
    ),
    path("escalations/<int:pk>/escalate/", views.escalation_escalate, name="escalation-escalate"),
    path("escalations/<int:pk>/resolve/", views.escalation_resolve, name="escalation-resolve"),
    path("escalations/<int:pk>/assign/", views.escalation_assign, name="escalation-assign"),
    path("escalations/<int:pk>/comments/", views.escalation_comment, name="escalation-comment"),
    path(
        "escalations/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
]
