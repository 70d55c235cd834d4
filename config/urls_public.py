"""The public site: the platform's own pages and the operators' admin."""

from django.contrib import admin
from django.urls import include, path

from core.health import health
from tenants import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("start/", views.start_network, name="start-network"),
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

handler400 = "core.errors_views.bad_request"
handler404 = "core.errors_views.page_not_found"
handler500 = "core.errors_views.server_error"
handler403 = "core.errors_views.permission_denied"

from tenants import app_template_views  # noqa: E402  (the platform's app-template catalogue)

urlpatterns += [path("apps/", app_template_views.catalogue, name="app-templates")]
