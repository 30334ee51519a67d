from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "mamori.exchange"
    label = "exchange"
    verbose_name = "Excel and CSV exchange"
