from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mamori.accounts.models import User
from mamori.accounts.roles import Role
from mamori.assessment.models import ChecklistAnswer, Status
from mamori.assessment.services import NOT_APPLICABLE_NEEDS_REASON
from mamori.core.forms import DATE_WIDGET, today
from mamori.core.uploads import UploadLimitFormMixin


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices, widget=forms.RadioSelect)
    not_applicable_reason = forms.CharField(
        label=_("Reason it does not apply"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the row does not apply."),
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        required=False,
        queryset=User.objects.filter(is_active=True).exclude(role=Role.EMPLOYEE),
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DATE_WIDGET)

    @classmethod
    def for_answer(cls, answer: ChecklistAnswer | None) -> AnswerForm:
        if answer is None:
            form = cls(initial={"status": Status.NOT_STARTED})
        else:
            form = cls(
                initial={
                    "status": answer.status,
                    "not_applicable_reason": answer.not_applicable_reason,
                    "owner": answer.owner_id,
                    "due_date": answer.due_date,
                }
            )
        if answer is None or answer.status != Status.NEEDS_REVIEW:
            # mamori sets "needs review" itself; it is offered only to keep it.
            form.fields["status"].choices = [
                choice for choice in Status.choices if choice[0] != Status.NEEDS_REVIEW
            ]
        return form

    def clean(self):
        cleaned = super().clean()
        reason = (cleaned.get("not_applicable_reason") or "").strip()
        if cleaned.get("status") == Status.NOT_APPLICABLE and not reason:
            self.add_error("not_applicable_reason", NOT_APPLICABLE_NEEDS_REASON)
        return cleaned


class EvidenceFileForm(UploadLimitFormMixin, forms.Form):
    # Empty files reach the service, whose message names the file.
    file = forms.FileField(label=_("File"), allow_empty_file=True)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    effective_date = forms.DateField(label=_("Effective date"), initial=today, widget=DATE_WIDGET)


class EvidenceLinkForm(forms.Form):
    url = forms.URLField(label=_("Link"), max_length=500, assume_scheme="https")
    title = forms.CharField(label=_("Title"), max_length=200)
    effective_date = forms.DateField(label=_("Effective date"), initial=today, widget=DATE_WIDGET)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class ExceptionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the exception"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Leave empty to remove the exception."),
    )
