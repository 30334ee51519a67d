from django.urls import path

from mamori.findings import views

app_name = "findings"

urlpatterns = [
    path("", views.FindingListView.as_view(), name="list"),
    path("refresh/", views.FindingRefreshView.as_view(), name="refresh"),
    path("findings.json", views.FindingExportView.as_view(), name="export"),
    path("<int:pk>/", views.FindingDetailView.as_view(), name="finding"),
]
