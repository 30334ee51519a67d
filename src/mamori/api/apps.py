from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "mamori.api"
    label = "api"
    verbose_name = "REST API"
