from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FindingsConfig(AppConfig):
    name = "mamori.findings"
    label = "findings"
    verbose_name = _("Findings")

    def ready(self) -> None:
        # Every app's rules.py registers its rule functions; then the functions and the
        # specifications in rules.yaml must match exactly.
        from django.utils.module_loading import autodiscover_modules

        from mamori.engines.rules import RuleError
        from mamori.findings.registry import owner_resolvers, registry, specs, validate_reads

        autodiscover_modules("rules")
        registry.validate(specs())
        validate_reads(specs())
        for spec in specs().rules.values():
            if spec.owner != "officer" and spec.owner not in owner_resolvers:
                raise RuleError(f"{spec.id}.owner: no owner resolver '{spec.owner}'")
