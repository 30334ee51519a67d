from django.urls import path

from mamori.incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.IncidentListView.as_view(), name="incident_list"),
    path("new/", views.IncidentCreateView.as_view(), name="incident_create"),
    path("<int:pk>/", views.IncidentView.as_view(), name="incident"),
    path("<int:pk>/edit/", views.IncidentEditView.as_view(), name="incident_edit"),
    path(
        "evidence/<int:pk>/download/",
        views.EvidenceDownloadView.as_view(),
        name="evidence_download",
    ),
    path("concerns/", views.ConcernQueueView.as_view(), name="concern_queue"),
    path("concerns/report/", views.ConcernReportView.as_view(), name="concern_report"),
    path("concerns/mine/", views.MyConcernsView.as_view(), name="my_concerns"),
    path("concerns/<int:pk>/", views.ConcernView.as_view(), name="concern"),
]
