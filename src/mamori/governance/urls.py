from django.urls import path

from mamori.governance import views

app_name = "governance"

urlpatterns = [
    path("officer/", views.AppointmentListView.as_view(), name="appointments"),
    path("officer/new/", views.AppointmentCreateView.as_view(), name="appointment_create"),
    path("officer/<int:pk>/edit/", views.AppointmentEditView.as_view(), name="appointment_edit"),
    path("posture/", views.PostureView.as_view(), name="posture"),
    path("posture/new/", views.PostureMeasureCreateView.as_view(), name="posture_create"),
    path("posture/<int:pk>/", views.PostureMeasureView.as_view(), name="posture_measure"),
    path("posture/<int:pk>/edit/", views.PostureMeasureEditView.as_view(), name="posture_edit"),
]
