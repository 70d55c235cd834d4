from django.urls import path

from . import views

app_name = "elections"

urlpatterns = [
    path("", views.election_list, name="list"),
    path("new/", views.election_create, name="create"),
    path("count-blt/", views.blt_count, name="blt-count"),
    path("<int:pk>/", views.election_detail, name="detail"),
    path("<int:pk>/edit/", views.election_edit, name="edit"),
    path("<int:pk>/cancel/", views.election_cancel, name="cancel"),
    path("<int:pk>/officers/", views.officer_appoint, name="officer-appoint"),
    path("<int:pk>/officers/<int:officer>/remove/", views.officer_remove, name="officer-remove"),
    path("<int:pk>/nominate/", views.nominate, name="nominate"),
    path("<int:pk>/nominations/<int:candidate>/", views.nomination, name="nomination"),
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/verify/", views.verify, name="verify"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/ballots/", views.published_ballots, name="ballots"),
    path("<int:pk>/ballots.blt", views.ballots_blt, name="ballots-blt"),
    path("<int:pk>/ballots.txt", views.ballots_txt, name="ballots-txt"),
    path("<int:pk>/certify/", views.certify, name="certify"),
]
