from django.urls import path

from mamori.findings import views

app_name = "findings"

urlpatterns = [
    path("", views.FindingListView.as_view(), name="finding_list"),
    path("refresh/", views.FindingRefreshView.as_view(), name="finding_refresh"),
    path("findings.json", views.FindingExportView.as_view(), name="finding_export"),
    path("<int:pk>/", views.FindingDetailView.as_view(), name="finding"),
]
