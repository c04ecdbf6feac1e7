from django.urls import path

from coopsip.groups import views

app_name = "groups"
urlpatterns = [
    path("proposal/<slug:slug>/", views.proposal, name="proposal"),
    path("proposal/<slug:slug>/waiting-list/", views.waiting_list, name="waiting_list"),
    path("proposal/seat/<int:pk>/accept/", views.accept, name="accept"),
    path("proposal/seat/<int:pk>/decline/", views.decline, name="decline"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/invite/", views.invite, name="invite"),
]
