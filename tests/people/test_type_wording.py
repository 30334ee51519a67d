"""The 特定類型 as METI's 役務通達 words them (issue 18): type 3 is about instructions or
requests (指示又は依頼) from a 外国政府等 regarding conduct in Japan, and every type speaks
of 外国政府等, not of a foreign government's influence."""

from __future__ import annotations

from django.utils import translation

from mamori.people.forms import TYPE_HELP, ForeignDeclarationForm
from mamori.people.models import ForeignInfluenceDeclaration


def test_type_3_is_instructions_or_requests_from_a_foreign_government_etc():
    with translation.override("ja"):
        help_3 = str(TYPE_HELP["type3_foreign_instruction"])
        label_3 = str(ForeignDeclarationForm.base_fields["type3_foreign_instruction"].label)
        field_3 = str(
            ForeignInfluenceDeclaration._meta.get_field("type3_foreign_instruction").verbose_name
        )
    for text in (help_3, label_3, field_3):
        assert "外国政府等" in text and "指示又は依頼" in text and "本邦における行動" in text
        assert "実質的な影響" not in text


def test_every_type_speaks_of_a_foreign_government_etc():
    with translation.override("ja"):
        texts = [str(text) for text in TYPE_HELP.values()]
        texts += [str(ForeignDeclarationForm.base_fields[name].label) for name in TYPE_HELP]
    assert all("外国政府等" in text for text in texts)
    assert not any("外国政府から" in text or "外国政府の" in text for text in texts)
