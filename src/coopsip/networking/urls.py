from django.urls import path

from coopsip.networking import views

app_name = "networking"

urlpatterns = [
    path("", views.search, name="search"),
    path("publish/", views.publish, name="publish"),
    path("mine/", views.mine, name="mine"),
    path("profile/", views.profile_edit, name="profile_edit"),
    path("people/<int:pk>/", views.profile, name="profile"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/renew/", views.renew, name="renew"),
    path("<int:pk>/contact/", views.contact, name="contact"),
    path("<int:pk>/report/", views.report, name="report"),
    path("renew/<str:token>/", views.renew_link, name="renew_link"),
    path("contacts/<int:pk>/", views.thread, name="thread"),
    path("projects/", views.projects, name="projects"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project, name="project"),
    path("projects/<int:pk>/team/", views.project_join, name="project_join"),
    path("projects/<int:pk>/recommend/", views.project_recommend, name="project_recommend"),
    path("projects/<int:pk>/partner-meeting/", views.project_meeting, name="project_meeting"),
    path("searches/save/", views.save_search, name="save_search"),
    path("searches/<int:pk>/delete/", views.delete_search, name="delete_search"),
]
