from django.urls import path

from mamori.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.AuditLogView.as_view(), name="log"),
    path("export.csv", views.AuditExportView.as_view(), name="export"),
    path("verify/", views.AuditVerifyView.as_view(), name="verify"),
]
