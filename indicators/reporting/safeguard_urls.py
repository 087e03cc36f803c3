from django.urls import path

from . import safeguard_views

urlpatterns = [
    path("safeguards/", safeguard_views.safeguards, name="safeguards"),
    path("safeguards/<slug:code>/record/", safeguard_views.safeguard_record, name="safeguard-record"),
]
