from django.urls import path

from . import reconcile_views

urlpatterns = [
    path("reconciliation/", reconcile_views.reconciliation, name="reconciliation"),
]
