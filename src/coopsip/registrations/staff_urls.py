"""Staff pages of registrations, at /<language>/staff/registrations/. Every page needs ``registrations.manage``."""

from django.urls import path

from coopsip.registrations import staff_views as views

app_name = "registrations_staff"
urlpatterns = [
    path("", views.edition_list, name="editions"),
    path("<slug:slug>/", views.registration_list, name="list"),
    path("<slug:slug>/<int:pk>/", views.registration_detail, name="detail"),
    path("<slug:slug>/demand/", views.demand, name="demand"),
    path("<slug:slug>/export.csv", views.export, name="export"),
    path("<slug:slug>/import/", views.import_file, name="import"),
    path("<slug:slug>/pool/", views.pool, name="pool"),
    path("<slug:slug>/invite/", views.invite, name="invite"),
]
