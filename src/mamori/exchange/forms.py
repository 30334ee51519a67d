from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mamori.core.uploads import UploadLimitFormMixin
from mamori.exchange.export import may_export
from mamori.exchange.pending import TOKEN
from mamori.exchange.spec import get_registry


def _language() -> str:
    return "en" if (get_language() or "ja").startswith("en") else "ja"


class ExportForm(forms.Form):
    """What to export; a choice left out of the query takes its initial value."""

    register = forms.ChoiceField(label=_("Register"), required=False)
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("xlsx", _("Excel workbook (.xlsx)")), ("csv", _("CSV"))],
        initial="xlsx",
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Headers in"),
        choices=[("ja", "日本語"), ("en", "English")],
        initial="ja",
        required=False,
    )
    encoding = forms.ChoiceField(
        label=_("CSV encoding"),
        required=False,
        choices=[
            ("utf-8", _("UTF-8 with BOM (Excel opens it)")),
            ("cp932", _("Shift_JIS (cp932)")),
        ],
        initial="utf-8",
        help_text=_("Several registers as CSV come as a zip file of one CSV per register."),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        language = _language()
        self.fields["register"].choices = [("", _("Every register (one sheet each)"))] + [
            (register.name, register.sheet(language))
            for register in get_registry()
            if may_export(register, user)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name in ("format", "language", "encoding"):
            if not cleaned.get(name) and name not in self.errors:
                cleaned[name] = self.fields[name].initial
        return cleaned


class ImportForm(UploadLimitFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File (Excel .xlsx or CSV)"),
        allow_empty_file=True,
        help_text=_(
            "A workbook with one sheet per register (as exported or from the template), "
            "or a CSV file of one register in UTF-8 or Shift_JIS."
        ),
    )
    register = forms.ChoiceField(
        label=_("Register of a CSV file"),
        required=False,
        help_text=_("Only needed when neither the file's name nor its headers tell."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        language = _language()
        self.fields["register"].choices = [("", _("Tell from the file"))] + [
            (register.name, register.sheet(language)) for register in get_registry().importable
        ]


class ConfirmForm(forms.Form):
    token = forms.RegexField(regex=TOKEN, widget=forms.HiddenInput)
