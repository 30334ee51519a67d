from django.urls import path

from mamori.lifecycle import views

app_name = "lifecycle"

urlpatterns = [
    path("departures/", views.DepartureListView.as_view(), name="departure_list"),
    path("people/<int:pk>/transfer/", views.TransferView.as_view(), name="transfer"),
    path("people/<int:pk>/notice/", views.NoticeView.as_view(), name="notice"),
    path("people/<int:pk>/departure/", views.DepartureView.as_view(), name="departure"),
    path(
        "people/<int:pk>/departure/revoke-all/",
        views.RevokeAllView.as_view(),
        name="revoke_all",
    ),
    path("people/<int:pk>/depart/", views.DepartView.as_view(), name="depart"),
    path(
        "exit-pledges/<int:pk>/download/",
        views.ExitPledgeDownloadView.as_view(),
        name="exit_pledge",
    ),
]
