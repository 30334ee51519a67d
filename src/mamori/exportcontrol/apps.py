from django.apps import AppConfig


class ExportControlConfig(AppConfig):
    name = "mamori.exportcontrol"
    label = "exportcontrol"
    verbose_name = "Export control and investment screening"
