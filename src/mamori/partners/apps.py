from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "mamori.partners"
    label = "partners"
    verbose_name = "Counterparties and due diligence"
