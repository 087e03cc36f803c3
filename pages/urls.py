"""The pages' routes: home, overview, the zone, task, target and unit pages, the matrix and the bulletin."""

from django.urls import path

from . import target_views, task_views, views, zone_views

urlpatterns = [
    path("", views.home, name="home"),
    path("overview/", views.overview, name="overview"),
    path("todo/", views.todo, name="todo"),
    path("changes/", views.status_changes, name="status-changes"),
    path("tasks/", task_views.task_list, name="task-list"),
    path("tasks/<int:number>/", task_views.task_detail, name="task-detail"),
    path("targets/<int:pk>/", target_views.target_detail, name="target-detail"),
    path("departments/", task_views.department_list, name="department-list"),
    path("departments/<slug:slug>/", task_views.department_detail, name="department-detail"),
    path("matrix/", task_views.responsibility_matrix, name="responsibility-matrix"),
    path("zones/<slug:code>/", zone_views.zone_detail, name="zone-detail"),
    path("bulletin/", views.bulletin, name="bulletin"),
    path("bulletin/<int:period_id>.xlsx", views.bulletin_xlsx, name="bulletin-xlsx"),
    path("bulletin/<int:period_id>.docx", views.bulletin_docx_view, name="bulletin-docx"),
    path("bulletin/<int:period_id>/issue/", views.bulletin_issue, name="bulletin-issue"),
]
