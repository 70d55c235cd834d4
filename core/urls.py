from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.account, name="account"),
    path("account/tokens/", views.api_token_create, name="api-token-create"),
    path("account/tokens/<int:pk>/revoke/", views.api_token_revoke, name="api-token-revoke"),
    path("notifications/", views.notifications, name="notifications"),
    path("welcome/<str:token>/", views.welcome, name="welcome"),
    path("language/", views.set_language, name="set-language"),
]

from . import audit_views  # noqa: E402  (issue 10: the organisation admins' audit log)

urlpatterns += [path("audit/", audit_views.audit_log, name="audit-log")]
