from django.urls import path

from . import excel_views, views

urlpatterns = [
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("reports/<int:pk>/review/", views.report_review, name="report-review"),
    path("reports/<int:pk>/reopen/", views.report_reopen, name="report-reopen"),
    path("reports/<int:pk>/waive/", views.report_waive, name="report-waive"),
    path("reports/<int:pk>/excel/", excel_views.report_excel, name="report-excel"),
]
