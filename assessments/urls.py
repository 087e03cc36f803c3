from django.urls import path

from . import evaluation_views, views

urlpatterns = [
    path("flags/", views.flag_list, name="flag-list"),
    path("flags/<int:pk>/", views.flag_detail, name="flag-detail"),
    path("flags/<int:pk>/handle/", views.flag_handle, name="flag-handle"),
    path("evaluations/", evaluation_views.evaluation_list, name="evaluation-list"),
    path("evaluations/define/", evaluation_views.evaluation_define, name="evaluation-define"),
    path("evaluations/<slug:kind>/<int:year>/", evaluation_views.evaluation_scheme, name="evaluation-scheme"),
    path("evaluations/<slug:kind>/<int:year>/zones/<slug:code>/", evaluation_views.evaluation_gap,
         name="evaluation-gap"),
    path("evaluations/<slug:kind>/<int:year>/compute/", evaluation_views.evaluation_compute,
         name="evaluation-compute"),
    path("evaluations/<slug:kind>/<int:year>/score/", evaluation_views.evaluation_score, name="evaluation-score"),
    path("evaluations/<slug:kind>/<int:year>/publish/", evaluation_views.evaluation_publish,
         name="evaluation-publish"),
    path("evaluations/<slug:kind>/<int:year>/results.xlsx", evaluation_views.evaluation_xlsx,
         name="evaluation-xlsx"),
    path("evaluations/<slug:kind>/<int:year>/results.docx", evaluation_views.evaluation_docx,
         name="evaluation-docx"),
]
