from django.urls import path

from mamori.approvals import views

app_name = "approvals"

urlpatterns = [
    path("", views.ApprovalQueueView.as_view(), name="queue"),
    path("<int:pk>/", views.ApprovalRequestView.as_view(), name="request"),
]
