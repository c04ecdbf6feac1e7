from django.urls import path

from coopsip.networking import followup_views, sector_views, views

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
    path("sectors/", sector_views.sector_networks, name="sector_networks"),
    path("sectors/<int:pk>/", sector_views.sector_network, name="sector_network"),
    path("sectors/<int:pk>/join/", sector_views.sector_network_join, name="sector_network_join"),
    path("sectors/<int:pk>/leave/", sector_views.sector_network_leave, name="sector_network_leave"),
    path("sectors/<int:pk>/manage/", sector_views.sector_network_manage, name="sector_network_manage"),
    path(
        "sectors/<int:pk>/requests/<int:request_pk>/", sector_views.sector_network_decide, name="sector_network_decide"
    ),
    path(
        "sectors/<int:pk>/members/<int:user_pk>/remove/",
        sector_views.sector_network_remove,
        name="sector_network_remove",
    ),
    path("this-year/", followup_views.this_year, name="this_year"),
]
