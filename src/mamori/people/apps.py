from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "mamori.people"
    label = "people"
    verbose_name = "People"
