from django.urls import path

from . import quality_views

urlpatterns = [
    path("data-quality/", quality_views.data_quality, name="data-quality"),
    path("data-quality/<int:pk>/acknowledge/", quality_views.data_quality_acknowledge, name="data-quality-acknowledge"),
]
