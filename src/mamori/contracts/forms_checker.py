"""Forms of the contract checker: a file to check, on its own or for a contract."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mamori.contracts.models import ContractKind
from mamori.core.uploads import UploadLimitFormMixin

FILE_HELP = _("Word (.docx), PDF with a text layer, text or Markdown; Japanese or English.")


class ContractFileCheckForm(UploadLimitFormMixin, forms.Form):
    """The file of a contract of the register, checked against the contract's type."""

    # Empty files reach the service, whose message names the file.
    file = forms.FileField(label=_("Contract file"), allow_empty_file=True, help_text=FILE_HELP)


class ContractCheckForm(ContractFileCheckForm):
    """A contract file checked on its own, against a type or the type the checker guesses."""

    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Guess from the contract")), *ContractKind.choices],
    )
