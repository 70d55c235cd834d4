from django.urls import path

from . import views

urlpatterns = [
    path("elections/", views.ElectionListView.as_view(), name="election-list"),
    path("elections/<int:pk>/", views.ElectionDetailView.as_view(), name="election-detail"),
    path(
        "elections/<int:pk>/candidates/",
        views.CandidateListView.as_view(),
        name="candidate-list",
    ),
    path(
        "elections/<int:pk>/candidates/<int:candidate>/respond/",
        views.CandidateRespondView.as_view(),
        name="candidate-respond",
    ),
    path(
        "elections/<int:pk>/candidates/<int:candidate>/withdraw/",
        views.CandidateWithdrawView.as_view(),
        name="candidate-withdraw",
    ),
    path("elections/<int:pk>/ballot/", views.BallotView.as_view(), name="ballot"),
    path("elections/<int:pk>/verify/", views.VerifyView.as_view(), name="verify"),
    path("elections/<int:pk>/results/", views.ResultsView.as_view(), name="results"),
    path("elections/<int:pk>/ballots/", views.PublishedBallotsView.as_view(), name="ballots"),
    path("elections/<int:pk>/certify/", views.CertifyView.as_view(), name="certify"),
]
