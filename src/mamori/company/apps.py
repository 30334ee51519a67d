from django.apps import AppConfig


class CompanyConfig(AppConfig):
    name = "mamori.company"
    label = "company"
    verbose_name = "Company"
