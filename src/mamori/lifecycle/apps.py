from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "mamori.lifecycle"
    label = "lifecycle"
    verbose_name = "Joining, transfer and departure"
