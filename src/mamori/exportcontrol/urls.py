from django.urls import path

from mamori.exportcontrol import views

app_name = "exportcontrol"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("licences/", views.AuthorizationListView.as_view(), name="authorizations"),
    path("licences/new/", views.AuthorizationCreateView.as_view(), name="authorization_create"),
    path("disclosures/", views.ForeignDisclosureListView.as_view(), name="disclosures"),
    path("disclosures/<int:pk>/catch-all/", views.CatchAllCreateView.as_view(), name="catch_all"),
    path("screening/", views.ScreeningView.as_view(), name="screening"),
    path("screening/run/", views.ScreeningRunView.as_view(), name="screening_run"),
    path("screening/import/", views.ListImportView.as_view(), name="list_import"),
    path("screening/lists/<int:pk>/", views.ListEntriesView.as_view(), name="list_entries"),
    path("screening/hits/<int:pk>/", views.HitView.as_view(), name="hit"),
    path("investment/", views.InvestmentView.as_view(), name="investment"),
    path("investment/sectors/", views.SectorDeclareView.as_view(), name="sectors"),
    path("investment/investors/<int:pk>/", views.InvestorProfileView.as_view(), name="investor"),
    path("investment/rounds/new/", views.RoundEditView.as_view(), name="round_create"),
    path("investment/rounds/<int:pk>/", views.RoundView.as_view(), name="round"),
    path("investment/rounds/<int:pk>/edit/", views.RoundEditView.as_view(), name="round_edit"),
    path(
        "investment/participations/<int:pk>/notification/",
        views.NotificationView.as_view(),
        name="notification",
    ),
    path(
        "investment/participations/<int:pk>/review/",
        views.LeakageReviewView.as_view(),
        name="leakage_review",
    ),
    path("frameworks/", views.FrameworksView.as_view(), name="frameworks"),
]
