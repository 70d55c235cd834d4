from django.urls import path

from . import views

urlpatterns = [
    path("metros/", views.MetroListView.as_view(), name="metro-list"),
    path("metros/<int:pk>/", views.MetroDetailView.as_view(), name="metro-detail"),
    path("sectors/", views.SectorListView.as_view(), name="sector-list"),
    path("sectors/<int:pk>/", views.SectorDetailView.as_view(), name="sector-detail"),
    path("entrepreneurs/", views.EntrepreneurListView.as_view(), name="entrepreneur-list"),
    path("entrepreneurs/me/", views.EntrepreneurMeView.as_view(), name="entrepreneur-me"),
    path(
        "entrepreneurs/<int:pk>/",
        views.EntrepreneurDetailView.as_view(),
        name="entrepreneur-detail",
    ),
]
