from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "mamori.notify"
    label = "notify"
    verbose_name = "E-mail digest"
