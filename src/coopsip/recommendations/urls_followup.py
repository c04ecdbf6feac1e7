"""Addresses of the pages after the group: staff synthesis, the board, test projects, public follow-up, publication.

Each list is included under its own namespace in ``coopsip/urls.py``.
"""

from django.urls import path

from coopsip.recommendations import publication, views_board, views_public, views_staff, views_testprojects

public_patterns = [
    path("", views_public.outcomes, name="outcomes"),
    path("outcomes.csv", views_public.outcomes_csv, name="outcomes_csv"),
    path("<int:pk>/", views_public.detail, name="detail"),
    path("publication/<slug:slug>/", publication.page, name="publication"),
    path("publication/<slug:slug>/<str:language>.pdf", publication.pdf, name="publication_pdf"),
]

staff_patterns = [
    path("<slug:slug>/", views_staff.themes, name="themes"),
    path("theme/<int:theme_id>/", views_staff.theme, name="theme"),
    path("theme/<int:theme_id>/merge/", views_staff.merge, name="merge"),
    path("theme/<int:theme_id>/keep/<int:pk>/", views_staff.keep, name="keep"),
    path("synthesis/<int:pk>/", views_staff.synthesis_page, name="synthesis"),
    path("synthesis/<int:pk>/edit/", views_staff.edit, name="edit"),
    path("synthesis/<int:pk>/comment/", views_staff.comment, name="comment"),
    path("synthesis/<int:pk>/info-moment/", views_staff.info_moment, name="info_moment"),
    path("synthesis/<int:pk>/<str:action>/", views_staff.act, name="act"),
    path("project/<int:pk>/", views_staff.project_page, name="project"),
    path("decision/<int:pk>/project/", views_staff.create_project, name="create_project"),
    path("<slug:slug>/publication/", publication.manage, name="publication"),
]

board_patterns = [
    path("<slug:slug>/", views_board.bundle, name="bundle"),
    path("<slug:slug>/bundle.pdf", views_board.bundle_pdf, name="bundle_pdf"),
    path("<slug:slug>/publish/", views_board.publish, name="publish"),
    path("synthesis/<int:pk>/decide/", views_board.decide_synthesis, name="decide_synthesis"),
    path("recommendation/<int:pk>/decide/", views_board.decide_recommendation, name="decide_recommendation"),
]

testproject_patterns = [
    path("group/<int:group_id>/", views_testprojects.group_list, name="group"),
    path("group/<int:group_id>/propose/", views_testprojects.propose, name="propose"),
    path("<int:pk>/", views_testprojects.detail, name="detail"),
    path("<int:pk>/expense/", views_testprojects.expense, name="expense"),
    path("<int:pk>/log/", views_testprojects.log, name="log"),
    path("<int:pk>/evaluation/", views_testprojects.evaluation, name="evaluation"),
    path("<int:pk>/approve/", views_testprojects.approve, name="approve"),
    path("<int:pk>/refuse/", views_testprojects.refuse, name="refuse"),
    path("log/<int:pk>/answer/", views_testprojects.answer, name="answer"),
    path("staff/<slug:slug>/", views_testprojects.overview, name="overview"),
]
