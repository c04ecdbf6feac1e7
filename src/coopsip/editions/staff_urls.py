"""Staff pages to manage editions, at /<language>/staff/editions/. Every page needs ``editions.manage``."""

from django.urls import path

from coopsip.editions import staff_views as views

app_name = "editions_staff"
urlpatterns = [
    path("", views.edition_list, name="list"),
    path("new/", views.edition_create, name="create"),
    path("<int:pk>/", views.dashboard, name="dashboard"),
    path("<int:pk>/settings/", views.edition_edit, name="edit"),
    path("<int:pk>/copy/", views.edition_copy, name="copy"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/unpublish/", views.unpublish, name="unpublish"),
    path("<int:pk>/history/", views.history, name="history"),
    # Phases, themes, offices of a theme, resources, public sessions, FAQ: see staff_views.PARTS.
    path("<int:pk>/<slug:kind>/add/", views.part_add, name="part_add"),
    path("<int:pk>/<slug:kind>/<int:part_pk>/", views.part_edit, name="part_edit"),
    path("<int:pk>/<slug:kind>/<int:part_pk>/delete/", views.part_delete, name="part_delete"),
]
