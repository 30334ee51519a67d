from django.apps import AppConfig


class FindingsConfig(AppConfig):
    name = "mamori.findings"
    label = "findings"
    verbose_name = "Findings"

    def ready(self) -> None:
        # Every app's rules.py registers its rule functions; then the functions and the
        # specifications in rules.yaml must match exactly.
        from django.utils.module_loading import autodiscover_modules

        from mamori.findings.registry import registry, specs

        autodiscover_modules("rules")
        registry.validate(specs())
