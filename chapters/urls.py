from django.urls import path

from . import views

app_name = "chapters"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("propose/", views.propose, name="propose"),
    path("find/", views.find, name="find"),
    path("all/", views.admin_list, name="admin-list"),
    path("agreement/", views.agreement, name="agreement"),
    path("settings/", views.chapter_settings, name="settings"),
    path("coverage/", views.coverage_map, name="coverage"),
    path("coverage.csv", views.coverage_csv, name="coverage-csv"),
    path("seed/", views.seed, name="seed"),
    path("seed/create/", views.seed_create, name="seed-create"),
    path("growth/", views.growth, name="growth"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/invite/", views.invite, name="invite"),
    path("<int:pk>/join/", views.join_request_create, name="join"),
    path("<int:pk>/activate/", views.activate, name="activate"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/leave/", views.leave, name="leave"),
    path("members/<int:pk>/remove/", views.membership_remove, name="membership-remove"),
    path("members/<int:pk>/role/", views.membership_role, name="membership-role"),
    path("invitations/<int:pk>/send/", views.invitation_send, name="invitation-send"),
    path("invitations/<int:pk>/resend/", views.invitation_resend, name="invitation-resend"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation-revoke"),
    path("invitations/<int:pk>/decide/", views.invitation_decide, name="invitation-decide"),
    path("invitations/<int:pk>/object/", views.invitation_object, name="invitation-object"),
    path("invitations/<int:pk>/", views.invitation_open, name="invitation-open"),
    path(
        "invitations/<int:pk>/decline/",
        views.invitation_decline_mine,
        name="invitation-decline-mine",
    ),
    path("invitations/accept/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("invitations/decline/<str:token>/", views.invitation_decline, name="invitation-decline"),
    path("join-requests/<int:pk>/approve/", views.join_request_approve, name="join-approve"),
    path("join-requests/<int:pk>/decline/", views.join_request_decline, name="join-decline"),
    path("join-requests/<int:pk>/withdraw/", views.join_request_withdraw, name="join-withdraw"),
]
