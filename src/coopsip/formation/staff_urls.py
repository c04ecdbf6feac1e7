"""Staff pages of group formation, at /<language>/staff/formation/. Every page needs ``formation.manage``."""

from django.urls import path

from coopsip.formation import publish_views
from coopsip.formation import staff_views as views

app_name = "formation_staff"
urlpatterns = [
    # Before the edition's pages: "guide" is not an edition.
    path("guide/", views.guide, name="guide"),
    path("<slug:slug>/", views.runs, name="runs"),
    path("<slug:slug>/compare/", publish_views.compare, name="compare"),
    path("runs/<int:pk>/", views.run, name="run"),
    path("runs/<int:pk>/move/", views.move, name="move"),
    path("runs/<int:pk>/people/<int:registration>/move/", views.move_dialog, name="move_dialog"),
    path("runs/<int:pk>/check/", views.check, name="check"),
    path("runs/<int:pk>/rerun/", views.rerun, name="rerun"),
    path("runs/<int:pk>/publish/", publish_views.publish, name="publish"),
    path("groups/<int:pk>/lock/", views.lock_group, name="lock_group"),
    path("members/<int:pk>/lock/", views.lock_member, name="lock_member"),
]
