from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "mamori.approvals"
    label = "approvals"
    verbose_name = "Approvals"
