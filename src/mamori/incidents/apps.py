from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "mamori.incidents"
    label = "incidents"
    verbose_name = "Incidents and concerns"

    def ready(self) -> None:
        from mamori.incidents.selectors import register_need_to_know

        # Incidents are need-to-know: only the officer sees them, each read is audited,
        # and their values in the audit log are masked for everyone else.
        register_need_to_know()
