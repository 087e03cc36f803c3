"""The dashboards' own routes; the overview, zone, task and unit pages keep their apps' URLs."""

from django.urls import path

from . import views

urlpatterns = [
    path("bulletin/", views.bulletin, name="bulletin"),
    path("bulletin/<int:period_id>.xlsx", views.bulletin_xlsx, name="bulletin-xlsx"),
    path("bulletin/<int:period_id>.docx", views.bulletin_docx_view, name="bulletin-docx"),
    path("bulletin/<int:period_id>/issue/", views.bulletin_issue, name="bulletin-issue"),
]
