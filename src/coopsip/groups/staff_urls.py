from django.urls import path

from coopsip.groups import staff_views

app_name = "groups_staff"
urlpatterns = [
    path("<slug:slug>/", staff_views.overview, name="overview"),
    path("<slug:slug>/export.csv", staff_views.export, name="export"),
    path("<slug:slug>/open-answers/", staff_views.open_answers, name="open_answers"),
    path("group/<int:pk>/close/", staff_views.close, name="close"),
    path("group/<int:pk>/merge/", staff_views.merge, name="merge"),
    path("seat/<int:pk>/move/", staff_views.move, name="move"),
]
