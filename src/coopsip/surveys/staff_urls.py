from django.urls import path

from coopsip.surveys import staff_views as views

app_name = "surveys_staff"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_create, name="create"),
    path("<int:pk>/", views.builder, name="builder"),
    path("<int:pk>/settings/", views.survey_edit, name="edit"),
    path("<int:pk>/questions/<int:question_pk>/", views.question_edit, name="question_edit"),
    path("<int:pk>/questions/<int:question_pk>/delete/", views.question_delete, name="question_delete"),
    path("<int:pk>/questions/<int:question_pk>/move/", views.question_move, name="question_move"),
    path("<int:pk>/results/", views.survey_results, name="results"),
    path("<int:pk>/export.<str:fmt>", views.export, name="export"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/open-to-all/", views.open_to_all, name="open_to_all"),
]
