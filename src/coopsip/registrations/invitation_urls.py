"""The invitee's page of an invitation to a role, at /<language>/invitations/<token>/."""

from django.urls import path

from coopsip.registrations import invitation_views as views

app_name = "invitations"
urlpatterns = [
    path("<slug:token>/", views.detail, name="detail"),
]
