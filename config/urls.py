"""An organisation's host: the product, its accounts, its API."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.health import health
from tenants.home import home

api_v1 = [
    path("", include(("core.api.urls", "core"), namespace="core")),
    path("", include(("network.api.urls", "network"), namespace="network")),
    path("", include(("chapters.api.urls", "chapters"), namespace="chapters")),
    path("", include(("meetings.api.urls", "meetings"), namespace="meetings")),
    path("", include(("governance.api.urls", "governance"), namespace="governance")),
    path(
        "", include(("apps_marketplace.api.urls", "apps_marketplace"), namespace="apps_marketplace")
    ),
    path("", include(("governance.elections.api.urls", "elections"), namespace="elections")),
]

urlpatterns = [
    path("", home, name="home"),  # the role-aware home; before core's "" (its landing)
    path("", include("core.urls")),
    path("network/", include("network.urls")),
    path("chapters/", include("chapters.urls")),
    path("meetings/", include("meetings.urls")),
    path("governance/", include("governance.urls")),
    path("marketplace/", include("apps_marketplace.urls")),
    path("elections/", include("governance.elections.urls")),
    path("accounts/", include("allauth.urls")),
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

handler400 = "core.errors_views.bad_request"
handler404 = "core.errors_views.page_not_found"
handler500 = "core.errors_views.server_error"
handler403 = "core.errors_views.permission_denied"

from tenants import app_template_views  # noqa: E402  (adopt a platform app template)

urlpatterns += [
    path("marketplace/templates/", app_template_views.adopt_list, name="app-templates-adopt"),
    path(
        "marketplace/templates/<slug:key>/adopt/",
        app_template_views.adopt,
        name="app-template-adopt",
    ),
]

# `make bench` (issue 9): the floor, a bare view behind the same middleware, only when asked.
from django.conf import settings  # noqa: E402

if getattr(settings, "BENCH_FLOOR", False):
    from tenants.scale.views import floor

    urlpatterns += [path("bench/floor/", floor, name="bench-floor")]

from tenants import data_rights_views  # noqa: E402  (issue 10: a member's own data)

urlpatterns += [
    path("account/data/", data_rights_views.my_data, name="my-data"),
    path("account/data/export.json", data_rights_views.my_data_export, name="my-data-export"),
    path("account/delete/", data_rights_views.account_delete_view, name="account-delete"),
]
