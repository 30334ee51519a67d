from django.urls import path

from mamori.notify import views

app_name = "notify"

urlpatterns = [
    path("", views.PreferenceView.as_view(), name="preferences"),
]
