from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "mamori.demo"
    label = "demo"
    verbose_name = "Demo company"
