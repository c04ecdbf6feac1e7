from django.urls import path

from coopsip.contributions import views

app_name = "contributions"
urlpatterns = [
    path("theme/<int:theme_pk>/", views.theme, name="theme"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/useful/", views.useful, name="useful"),
    path("<int:pk>/file/", views.file, name="file"),
    path("<int:pk>/highlight/", views.highlight, name="highlight"),
    path("<int:pk>/hide/", views.hide, name="hide"),
    path("<int:pk>/to-resources/", views.move, name="move"),
    path("staff/<slug:slug>/invited/", views.invited, name="invited"),
]
