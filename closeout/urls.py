from django.urls import path

from . import views

urlpatterns = [
    path("plans/<slug:code>/evaluation/", views.evaluation_page, name="plan-evaluation"),
    path("plans/<slug:code>/evaluation.docx", views.evaluation_docx_view, name="plan-evaluation-docx"),
    path("plans/<slug:code>/evaluation.xlsx", views.evaluation_xlsx_view, name="plan-evaluation-xlsx"),
]
