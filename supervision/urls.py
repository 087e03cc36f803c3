from django.urls import path

from . import views

urlpatterns = [
    path("supervision/", views.supervision_list, name="supervision-list"),
    path("supervision/new/", views.supervision_new, name="supervision-new"),
    path("supervision/<int:pk>/", views.supervision_detail, name="supervision-detail"),
    path("supervision/<int:pk>/answer/", views.supervision_answer, name="supervision-answer"),
    path("supervision/<int:pk>/remind/", views.supervision_remind, name="supervision-remind"),
    path("supervision/<int:pk>/return/", views.supervision_return, name="supervision-return"),
    path("supervision/<int:pk>/close/", views.supervision_close, name="supervision-close"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    path("work-items/", views.work_item_list, name="workitem-list"),
    path("work-items/<int:pk>/", views.work_item_detail, name="workitem-detail"),
    path("work-items/<int:pk>/adjust/", views.work_item_adjust, name="workitem-adjust"),
    path("work-reports/<int:pk>/review/", views.work_report_review, name="workreport-review"),
    path("task-lists/<int:year>/", views.task_list_detail, name="tasklist-detail"),
    path("task-lists/<int:year>/copy/", views.task_list_copy, name="tasklist-copy"),
    path("task-lists/<int:year>/adopt/", views.task_list_adopt, name="tasklist-adopt"),
    path("task-lists/<int:year>/add/", views.work_item_add, name="workitem-add"),
    path("letters/", views.letter_list, name="letter-list"),
    path("letters/new/", views.letter_new, name="letter-new"),
    path("letters/<int:pk>/", views.letter_detail, name="letter-detail"),
]
