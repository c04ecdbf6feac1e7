from django.urls import path

from coopsip.stats import views

app_name = "stats"

urlpatterns = [
    path("", views.index, name="index"),
    path("editions.csv", views.overview_csv, name="overview_csv"),
    path("decisions.csv", views.decisions_csv, name="decisions_csv"),
    path("activity/", views.activity_page, name="activity"),
    path("activity/<slug:table>.csv", views.activity_csv, name="activity_csv"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/coopsip-open-data.zip", views.open_data_zip, name="open_data_zip"),
    path("<slug:slug>/", views.edition, name="edition"),
    path("<slug:slug>/<slug:table>.csv", views.edition_csv, name="edition_csv"),
]
