from django.urls import path

from . import views

urlpatterns = [
    path("chapters/", views.ChapterListView.as_view(), name="chapter-list"),
    path("chapters/joinable/", views.JoinableChapterListView.as_view(), name="chapter-joinable"),
    path("chapters/<int:pk>/", views.ChapterDetailView.as_view(), name="chapter-detail"),
    path(
        "chapters/<int:pk>/activate/", views.ChapterActivateView.as_view(), name="chapter-activate"
    ),
    path("chapters/<int:pk>/close/", views.ChapterCloseView.as_view(), name="chapter-close"),
    path("chapters/<int:pk>/leave/", views.ChapterLeaveView.as_view(), name="chapter-leave"),
    path(
        "chapters/<int:pk>/memberships/",
        views.ChapterMembershipListView.as_view(),
        name="chapter-memberships",
    ),
    path(
        "chapters/<int:pk>/invitations/",
        views.ChapterInvitationListView.as_view(),
        name="chapter-invitations",
    ),
    path(
        "chapters/<int:pk>/join-requests/",
        views.ChapterJoinRequestListView.as_view(),
        name="chapter-join-requests",
    ),
    path("memberships/<int:pk>/", views.MembershipRoleView.as_view(), name="membership-role"),
    path(
        "memberships/<int:pk>/remove/",
        views.MembershipRemoveView.as_view(),
        name="membership-remove",
    ),
    path(
        "memberships/<int:pk>/transfer-facilitation/",
        views.MembershipTransferView.as_view(),
        name="membership-transfer",
    ),
    path("invitations/mine/", views.MyInvitationListView.as_view(), name="invitation-mine"),
    path("invitations/accept/", views.InvitationAcceptView.as_view(), name="invitation-accept"),
    path("invitations/decline/", views.InvitationDeclineView.as_view(), name="invitation-decline"),
    path(
        "invitations/<int:pk>/send/",
        views.InvitationActionView.as_view(action_name="send"),
        name="invitation-send",
    ),
    path(
        "invitations/<int:pk>/resend/",
        views.InvitationActionView.as_view(action_name="resend"),
        name="invitation-resend",
    ),
    path(
        "invitations/<int:pk>/revoke/",
        views.InvitationActionView.as_view(action_name="revoke"),
        name="invitation-revoke",
    ),
    path(
        "invitations/<int:pk>/objections/",
        views.InvitationObjectView.as_view(),
        name="invitation-object",
    ),
    path(
        "invitations/<int:pk>/decide/",
        views.InvitationDecideView.as_view(),
        name="invitation-decide",
    ),
    path("join-requests/", views.JoinRequestListView.as_view(), name="join-request-list"),
    path(
        "join-requests/<int:pk>/approve/",
        views.JoinRequestActionView.as_view(action_name="approve"),
        name="join-request-approve",
    ),
    path(
        "join-requests/<int:pk>/decline/",
        views.JoinRequestActionView.as_view(action_name="decline"),
        name="join-request-decline",
    ),
    path(
        "join-requests/<int:pk>/withdraw/",
        views.JoinRequestActionView.as_view(action_name="withdraw"),
        name="join-request-withdraw",
    ),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
]
