from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "mamori.assessment"
    label = "assessment"
    verbose_name = "Checklist"
