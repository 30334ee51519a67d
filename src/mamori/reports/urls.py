from django.urls import path

from mamori.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("registers/", views.RegistersView.as_view(), name="registers"),
    path("tools/", views.ToolsView.as_view(), name="tools"),
    path("reports/pdf/", views.ReportPdfView.as_view(), name="pdf"),
]
