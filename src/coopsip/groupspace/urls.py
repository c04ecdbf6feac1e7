from django.urls import path

from coopsip.groupspace import views

app_name = "groupspace"
urlpatterns = [
    path("<int:circle_pk>/dates/", views.polls, name="polls"),
    path("<int:circle_pk>/dates/new/", views.poll_create, name="poll_create"),
    path("<int:circle_pk>/dates/<int:pk>/", views.poll, name="poll"),
    path("<int:circle_pk>/dates/<int:pk>/answer/", views.poll_answer, name="poll_answer"),
    path("<int:circle_pk>/dates/<int:pk>/choose/", views.poll_choose, name="poll_choose"),
    path("<int:circle_pk>/documents/", views.documents, name="documents"),
    path("<int:circle_pk>/documents/<int:pk>/file/", views.document_file, name="document_file"),
    path("<int:circle_pk>/documents/<int:pk>/delete/", views.document_delete, name="document_delete"),
    path("<int:circle_pk>/discussion/", views.threads, name="threads"),
    path("<int:circle_pk>/discussion/<int:pk>/", views.thread, name="thread"),
    path("<int:circle_pk>/guests/", views.guests, name="guests"),
]
