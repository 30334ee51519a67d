from django.apps import AppConfig


class RulebookConfig(AppConfig):
    name = "mamori.rulebook"
    label = "rulebook"
    verbose_name = "Information-management rules"

    def ready(self) -> None:
        from mamori.core.panels import Panel, panel_register
        from mamori.people.models import Person
        from mamori.rulebook.selectors import my_rules_panel

        # A person's panels are shown on My Page: the rules in force to read and acknowledge.
        panel_register(Person, Panel("rulebook/_my_rules.html", my_rules_panel, order=10))
