from django.urls import path

from coopsip.recommendations import views_group

app_name = "recommendations"
urlpatterns = [
    # The group's side: ideas, drafts and their versions, consent, submission.
    path("group/<int:group_pk>/", views_group.group_home, name="group"),
    path("group/<int:group_pk>/ideas/new/", views_group.idea_create, name="idea_create"),
    path("group/<int:group_pk>/drafts/new/", views_group.draft_create, name="draft_create"),
    path("group/<int:group_pk>/<int:pk>/", views_group.draft, name="draft"),
    path("group/<int:group_pk>/<int:pk>/edit/", views_group.draft_edit, name="draft_edit"),
    path("group/<int:group_pk>/<int:pk>/versions/", views_group.versions, name="versions"),
    path("group/<int:group_pk>/<int:pk>/versions/<int:number>/", views_group.version, name="version"),
    path("group/<int:group_pk>/<int:pk>/consent/", views_group.consent_open, name="consent_open"),
    path("group/<int:group_pk>/<int:pk>/consent/<int:round_pk>/", views_group.consent, name="consent"),
    path(
        "group/<int:group_pk>/<int:pk>/consent/<int:round_pk>/close/", views_group.consent_close, name="consent_close"
    ),
    path("group/<int:group_pk>/<int:pk>/submit/", views_group.submit, name="submit"),
    path("group/<int:group_pk>/<int:pk>/withdraw/", views_group.withdraw, name="withdraw"),
    path("group/<int:group_pk>/<int:pk>/reopen/", views_group.reopen, name="reopen"),
    path("group/<int:group_pk>/<int:pk>/contributions/", views_group.contributions, name="contributions"),
]
