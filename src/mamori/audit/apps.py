from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "mamori.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from mamori.audit import recorder

        recorder.connect()
