from django.urls import path

from mamori.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.ExchangeIndexView.as_view(), name="index"),
    path("export/", views.ExportView.as_view(), name="export"),
    path(
        "templates/<str:name>/<str:fmt>/",
        views.ImportTemplateView.as_view(),
        name="template",
    ),
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/confirm/", views.ImportConfirmView.as_view(), name="import_confirm"),
]
