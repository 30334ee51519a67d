from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _recheck_after_evaluation(sender: Any, **kwargs: Any) -> None:
    from mamori.assessment.models import ChecklistAnswer, Status
    from mamori.assessment.services import checklist_recheck
    from mamori.findings.selectors import derived_checks

    # Only the rows marked done or needing review are held to their checks: the others'
    # requirements are not asked (this runs after every change taken into account).
    held = ChecklistAnswer.objects.filter(status__in=[Status.DONE, Status.NEEDS_REVIEW])
    rows = set(held.values_list("row_id", flat=True))
    if rows:
        checklist_recheck(checks=derived_checks(refresh=False, rows=sorted(rows)))


class AssessmentConfig(AppConfig):
    name = "mamori.assessment"
    label = "assessment"
    verbose_name = _("Checklist")

    def ready(self) -> None:
        from mamori.findings.signals import findings_evaluated

        # Done rows are held to their register checks whenever the findings are evaluated.
        findings_evaluated.connect(_recheck_after_evaluation, dispatch_uid="checklist-recheck")
