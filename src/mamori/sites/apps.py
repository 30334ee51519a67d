from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "mamori.sites"
    label = "overseas_sites"
    verbose_name = "Overseas sites and equipment"
