from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "mamori.governance"
    label = "governance"
    verbose_name = "Officer appointment and security posture"
