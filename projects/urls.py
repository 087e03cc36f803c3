from django.urls import path

from . import views

urlpatterns = [
    path("projects/", views.project_list, name="project-list"),
    path("projects/new/", views.project_create, name="project-create"),
    path("projects/board/", views.project_board, name="project-board"),
    path("projects/board.xlsx", views.project_board_xlsx, name="project-board-xlsx"),
    path("projects/figures/", views.project_figures, name="project-figures"),
    path("projects/<slug:code>/", views.project_detail, name="project-detail"),
    path("projects/<slug:code>/stage/", views.project_stage, name="project-stage"),
    path("projects/<slug:code>/adopt/", views.project_adopt, name="project-adopt"),
    path("projects/<slug:code>/rebaseline/", views.project_rebaseline, name="project-rebaseline"),
    path("projects/<slug:code>/milestone-done/", views.project_milestone_done, name="project-milestone-done"),
    path("projects/<slug:code>/report/", views.project_report_open, name="project-report-open"),
    path("project-reports/<int:pk>/", views.project_report_detail, name="project-report-detail"),
    path("project-reports/<int:pk>/review/", views.project_report_review, name="project-report-review"),
    path("project-reports/<int:pk>/reopen/", views.project_report_reopen, name="project-report-reopen"),
    path("project-reports/<int:pk>/excel/", views.project_report_excel, name="project-report-excel"),
    path("project-reports/<int:pk>/answer/", views.project_report_answer, name="project-report-answer"),
]
