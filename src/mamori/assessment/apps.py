from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _recheck_after_evaluation(sender: Any, **kwargs: Any) -> None:
    from mamori.assessment.services import checklist_recheck
    from mamori.findings.selectors import derived_checks

    checklist_recheck(checks=derived_checks(refresh=False))


class AssessmentConfig(AppConfig):
    name = "mamori.assessment"
    label = "assessment"
    verbose_name = _("Checklist")

    def ready(self) -> None:
        from mamori.findings.signals import findings_evaluated

        # Done rows are held to their register checks whenever the findings are evaluated.
        findings_evaluated.connect(_recheck_after_evaluation, dispatch_uid="checklist-recheck")
