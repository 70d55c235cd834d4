from django.urls import path

from .views import admin, provider, public, revenue

app_name = "apps_marketplace"

urlpatterns = [
    # Everyone: browse, register, calendar files.
    path("", public.event_list, name="events"),
    path("events/<int:pk>/", public.event_detail, name="event"),
    path("events/<int:pk>/register/", public.event_register, name="event-register"),
    path("events/<int:pk>/calendar.ics", public.event_calendar, name="event-ics"),
    path("apps/", public.app_list, name="apps"),
    path("apps/<int:pk>/", public.app_detail, name="app"),
    path("my/", public.my_registrations, name="my-registrations"),
    path("r/<str:token>/", public.registration_manage, name="registration-manage"),
    # Providers.
    path("provide/", provider.dashboard, name="provide"),
    path("provide/apps/new/", provider.app_create, name="app-create"),
    path("provide/apps/<int:pk>/", provider.app_manage, name="app-manage"),
    path("provide/apps/<int:pk>/edit/", provider.app_edit, name="app-edit"),
    path("provide/apps/<int:pk>/withdraw/", provider.app_withdraw, name="app-withdraw"),
    path(
        "provide/apps/<int:pk>/packages/",
        provider.package_create,
        {"scope": "app"},
        name="app-package-create",
    ),
    path("provide/apps/<int:pk>/events/new/", provider.event_create, name="event-create"),
    path("provide/packages/<int:pk>/toggle/", provider.package_toggle, name="package-toggle"),
    path("provide/events/<int:pk>/", provider.event_manage, name="event-manage"),
    path("provide/events/<int:pk>/edit/", provider.event_edit, name="event-edit"),
    path("provide/events/<int:pk>/publish/", provider.event_publish, name="event-publish"),
    path("provide/events/<int:pk>/cancel/", provider.event_cancel, name="event-cancel"),
    path(
        "provide/events/<int:pk>/attendees.csv",
        provider.event_attendees_csv,
        name="event-attendees-csv",
    ),
    path(
        "provide/events/<int:pk>/packages/",
        provider.package_create,
        {"scope": "event"},
        name="event-package-create",
    ),
    path(
        "provide/events/<int:pk>/sponsors/", provider.sponsorship_create, name="sponsorship-create"
    ),
    path(
        "provide/registrations/<int:pk>/check-in/",
        provider.registration_check_in,
        name="registration-check-in",
    ),
    path(
        "provide/registrations/<int:pk>/paid/",
        provider.registration_mark_paid,
        name="registration-paid",
    ),
    path(
        "provide/registrations/<int:pk>/cancel/",
        provider.registration_cancel,
        name="registration-cancel",
    ),
    path(
        "provide/sponsorships/<int:pk>/status/",
        provider.sponsorship_status,
        name="sponsorship-status",
    ),
    # Revenue (providers: their own; admins: everyone's).
    path("revenue/", revenue.report, name="revenue"),
    path("revenue/statement/", revenue.statement, name="statement"),
    # Organisation admins.
    path("admin/review/", admin.review, name="review"),
    path("admin/apps/<int:pk>/review/", admin.app_review, name="app-review"),
    path("admin/settings/", admin.settings_edit, name="settings"),
    path("admin/providers/", admin.providers, name="providers"),
    path("admin/providers/<int:user_pk>/revoke/", admin.provider_revoke, name="provider-revoke"),
]
