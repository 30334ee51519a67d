from django.apps import AppConfig


class AssetsConfig(AppConfig):
    name = "mamori.assets"
    label = "assets"
    verbose_name = "Technologies and information assets"
