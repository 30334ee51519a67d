from django.urls import path

from mamori.assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.ChecklistView.as_view(), name="checklist"),
    path("rows/<str:row_id>/", views.RowView.as_view(), name="row"),
    path(
        "evidence/<int:pk>/download/",
        views.EvidenceDownloadView.as_view(),
        name="evidence_download",
    ),
    path("evidence/<int:pk>/delete/", views.EvidenceDeleteView.as_view(), name="evidence_delete"),
]
