from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/photo/", views.person_photo, name="person-photo"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="person-deactivate"),
    path("people/<int:pk>/reactivate/", views.person_reactivate, name="person-reactivate"),
    path("profile/", views.profile_edit, name="profile-edit"),
    path("admin/", views.admin_home, name="admin"),
    path("admin/countries/", views.countries, name="countries"),
    path("admin/countries/<int:pk>/", views.country_edit, name="country-edit"),
    path("admin/regions/", views.regions, name="regions"),
    path("admin/regions/<int:pk>/", views.region_edit, name="region-edit"),
    path("admin/metros/", views.metros, name="metros"),
    path("admin/metros/<int:pk>/", views.metro_edit, name="metro-edit"),
    path("admin/sectors/", views.sectors, name="sectors"),
    path("admin/sectors/<int:pk>/", views.sector_edit, name="sector-edit"),
    path("admin/sectors/<int:pk>/<slug:action>/", views.sector_action, name="sector-action"),
    path("admin/imports/", views.imports, name="imports"),
    path("admin/imports/template.csv", views.import_template, name="import-template"),
    path("admin/imports/<int:pk>/", views.import_detail, name="import"),
    path("admin/imports/<int:pk>/errors.csv", views.import_errors, name="import-errors"),
]
