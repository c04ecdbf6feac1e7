from django.urls import path

from coopsip.votes import views

app_name = "votes"
urlpatterns = [
    path("themes/", views.proposals, name="proposals"),
    path("themes/propose/", views.proposal_new, name="proposal_new"),
    path("themes/<int:pk>/", views.proposal, name="proposal"),
    path("themes/<int:pk>/support/", views.support, name="support"),
    path("ballots/", views.ballots, name="ballots"),
    path("ballots/<int:pk>/", views.ballot, name="ballot"),
]
