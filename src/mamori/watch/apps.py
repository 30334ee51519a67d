from django.apps import AppConfig


class WatchConfig(AppConfig):
    name = "mamori.watch"
    label = "watch"
    verbose_name = "Departure watch"
