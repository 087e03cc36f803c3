from django.urls import path

from . import views

urlpatterns = [
    path("flags/", views.flag_list, name="flag-list"),
    path("flags/<int:pk>/", views.flag_detail, name="flag-detail"),
    path("flags/<int:pk>/handle/", views.flag_handle, name="flag-handle"),
]
