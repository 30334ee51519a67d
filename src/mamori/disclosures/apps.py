from django.apps import AppConfig


class DisclosuresConfig(AppConfig):
    name = "mamori.disclosures"
    label = "disclosures"
    verbose_name = "Disclosures, samples and exhibitions"
