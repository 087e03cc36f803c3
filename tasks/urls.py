from django.urls import path

from . import views

urlpatterns = [
    path("tasks/", views.task_list, name="task-list"),
    path("tasks/<int:number>/", views.task_detail, name="task-detail"),
    path("departments/", views.department_list, name="department-list"),
    path("departments/<slug:slug>/", views.department_detail, name="department-detail"),
    path("matrix/", views.responsibility_matrix, name="responsibility-matrix"),
]
