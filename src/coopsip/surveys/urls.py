from django.urls import path

from coopsip.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.answer, name="answer"),
    path("link/<str:token>/", views.answer_by_link, name="answer_by_link"),
    path("<int:pk>/results/", views.published_results, name="results"),
]
