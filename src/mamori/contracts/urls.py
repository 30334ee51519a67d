from django.urls import path

from mamori.contracts import views, views_checker

app_name = "contracts"

urlpatterns = [
    path("", views.ContractListView.as_view(), name="contract_list"),
    path("new/", views.ContractEditView.as_view(), name="contract_create"),
    path("<int:pk>/", views.ContractView.as_view(), name="contract"),
    path("<int:pk>/edit/", views.ContractEditView.as_view(), name="contract_edit"),
    path("<int:pk>/clauses/", views.ContractClausesView.as_view(), name="contract_clauses"),
    path("stages/<int:pk>/edit/", views.ProvisionStageEditView.as_view(), name="stage_edit"),
    path("stages/<int:pk>/delete/", views.ProvisionStageDeleteView.as_view(), name="stage_delete"),
    path("files/<int:pk>/", views.ContractFileDownloadView.as_view(), name="file"),
    path("files/<int:pk>/delete/", views.ContractFileDeleteView.as_view(), name="file_delete"),
    path("check/", views_checker.ContractCheckView.as_view(), name="check"),
    path("check/<int:pk>/", views_checker.ContractCheckReportView.as_view(), name="check_report"),
    path(
        "check/<int:pk>/redline/",
        views_checker.ContractCheckRedlineView.as_view(),
        name="check_redline",
    ),
    path(
        "check/<int:pk>/<str:fmt>/",
        views_checker.ContractCheckDownloadView.as_view(),
        name="check_download",
    ),
    path("<int:pk>/check/", views_checker.ContractFileCheckView.as_view(), name="check_contract"),
]
