from django.urls import path

from mamori.blackbox import views

app_name = "blackbox"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("sanitize/", views.SanitizeView.as_view(), name="sanitize"),
    path("history/", views.HistoryView.as_view(), name="history"),
    path("<int:pk>/", views.SanitizationView.as_view(), name="sanitization"),
    path("<int:pk>/confirm/", views.ConfirmView.as_view(), name="confirm"),
    path("<int:pk>/download/", views.DownloadView.as_view(), name="download"),
    path("scan/", views.ScanView.as_view(), name="scan"),
    path("restore/", views.RestoreView.as_view(), name="restore"),
    path("terms/", views.TermListView.as_view(), name="terms"),
    path("terms/new/", views.TermEditView.as_view(), name="term_create"),
    path("terms/<int:pk>/", views.TermEditView.as_view(), name="term_edit"),
    path("terms/<int:pk>/delete/", views.TermDeleteView.as_view(), name="term_delete"),
    path("terms/import/", views.TermsImportView.as_view(), name="terms_import"),
    path("terms/export/", views.TermsExportView.as_view(), name="terms_export"),
]
