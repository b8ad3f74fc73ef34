from django.urls import path

from zuofeng.complaints.views import handling

urlpatterns = [
    path("office/", handling.office_list, name="office_list"),
    path("unit/", handling.unit_list, name="unit_list"),
    path("<int:pk>/", handling.detail, name="detail"),
    path("<int:pk>/move", handling.move, name="move"),
    path("<int:pk>/identity", handling.identity, name="identity"),
    path("<int:pk>/redact", handling.redact, name="redact"),
    path("<int:pk>/sheet.docx", handling.sheet, name="sheet"),
    path("<int:pk>/attachments/<int:attachment_pk>/", handling.attachment_file, name="attachment"),
    path("<int:pk>/attachments/<int:attachment_pk>/check", handling.attachment_decide, name="attachment_check"),
]
