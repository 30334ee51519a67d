from django.apps import AppConfig


class BlackboxConfig(AppConfig):
    name = "mamori.blackbox"
    label = "blackbox"
    verbose_name = "Black-boxing (codenames and document sanitizer)"
