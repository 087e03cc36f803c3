from django.urls import path

from . import views

urlpatterns = [
    path("evaluations/", views.evaluation_list, name="evaluation-list"),
    path("evaluations/define/", views.evaluation_define, name="evaluation-define"),
    path("evaluations/<slug:kind>/<int:year>/", views.evaluation_scheme, name="evaluation-scheme"),
    path("evaluations/<slug:kind>/<int:year>/zones/<slug:code>/", views.evaluation_gap, name="evaluation-gap"),
    path(
        "evaluations/<slug:kind>/<int:year>/zones/<slug:code>/rectify/",
        views.evaluation_rectify,
        name="evaluation-rectify",
    ),
    path("evaluations/<slug:kind>/<int:year>/compute/", views.evaluation_compute, name="evaluation-compute"),
    path("evaluations/<slug:kind>/<int:year>/score/", views.evaluation_score, name="evaluation-score"),
    path("evaluations/<slug:kind>/<int:year>/publish/", views.evaluation_publish, name="evaluation-publish"),
    path("evaluations/<slug:kind>/<int:year>/enter/", views.evaluation_enter, name="evaluation-enter"),
    path("evaluations/<slug:kind>/<int:year>/upload/", views.evaluation_upload, name="evaluation-upload"),
    path("evaluations/<slug:kind>/<int:year>/results.xlsx", views.evaluation_xlsx, name="evaluation-xlsx"),
    path("evaluations/<slug:kind>/<int:year>/results.docx", views.evaluation_docx, name="evaluation-docx"),
]
