from django.urls import path, re_path

from . import history_views, views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/history/", history_views.meeting_history, name="history"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/guests/", views.guest_add, name="guest_add"),
    path("<int:pk>/guests/<int:guest_pk>/remove/", views.guest_remove, name="guest_remove"),
    path("<int:pk>/items/new/", views.item_create, name="item_create"),
    path("<int:pk>/items/<int:item_pk>/", views.item_edit, name="item_edit"),
    path("<int:pk>/items/<int:item_pk>/move/", views.item_move, name="item_move"),
    path("<int:pk>/items/<int:item_pk>/remove/", views.item_remove, name="item_remove"),
    path("<int:pk>/items/<int:item_pk>/resolution/", views.item_resolution, name="item_resolution"),
    path("<int:pk>/items/<int:item_pk>/approve-previous/", views.item_approve_previous, name="item_approve_previous"),
    path("<int:pk>/items/<int:item_pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment_download"),
    path("<int:pk>/attachments/<int:attachment_pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("<int:pk>/activities/new/", views.activity_form, name="activity_create"),
    path("<int:pk>/activities/<int:activity_pk>/", views.activity_form, name="activity_edit"),
    path("<int:pk>/activities/<int:activity_pk>/remove/", views.activity_remove, name="activity_remove"),
    path("<int:pk>/send-agenda/", views.send_agenda, name="send_agenda"),
    path("<int:pk>/start/", views.start, name="start"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    re_path(r"^(?P<pk>[0-9]+)/(?P<which>agenda|minutes)\.(?P<fmt>pdf|docx|odt)$", views.document, name="document"),
    path("committees/<int:committee_pk>/documents/", views.document_settings, name="document_settings"),
]
