from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "mamori.reports"
    label = "reports"
    verbose_name = "Reports"
