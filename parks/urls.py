from django.urls import path

from . import views

urlpatterns = [
    path("zones/<slug:code>/", views.zone_detail, name="zone-detail"),
]
