from django.urls import path

from coopsip.votes import staff_views as views

app_name = "votes_staff"
urlpatterns = [
    path("", views.proposals, name="proposals"),
    path("themes/<int:pk>/decide/", views.decide, name="decide"),
    path("ballots/new/", views.ballot_new, name="ballot_new"),
    path("ballots/<int:pk>/", views.ballot, name="ballot"),
    path("ballots/<int:pk>/event/", views.link_event, name="link_event"),
    path("ballots/<int:pk>/paper-ballots/", views.hand_out, name="hand_out"),
    path("ballots/<int:pk>/paper/", views.paper, name="paper"),
    path("ballots/<int:pk>/hands/", views.hands, name="hands"),
    path("ballots/<int:pk>/count/", views.count, name="count"),
    path("ballots/<int:pk>/publish/", views.publish, name="publish"),
    path("ballots/<int:pk>/themes/", views.themes, name="themes"),
]
