from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "mamori.exchange"
    label = "exchange"
    verbose_name = _("Excel and CSV exchange")
