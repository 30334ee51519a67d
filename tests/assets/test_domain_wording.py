"""Wording of two legal facts on the asset pages (issue 18)."""

from __future__ import annotations

from django.template.loader import get_template
from django.utils import translation

from mamori.assets.forms import ClassificationForm
from mamori.assets.models import ExportClassification


def test_secrecy_management_is_recognisability_by_those_who_access_the_information():
    # Handbook p. 4 (STEP 3) and METI's 営業秘密管理指針: the people who access the
    # information must be able to recognise it as secret — not "anyone".
    source = get_template("assets/asset_form.html").template.source
    assert "anyone can tell" not in source and "the people who access it" in source
    with translation.override("ja"):
        from django.utils.translation import gettext

        text = gettext(
            "An asset is protected as a trade secret only when it is useful, managed as a "
            "secret (kept apart and marked or access-limited, so that the people who access "
            "it can recognise it as secret — METI's 営業秘密管理指針) and not public. Record "
            "how each requirement is met and where the proof is."
        )
    assert "その情報に接する人が秘密であると認識できること" in text and "誰が見ても" not in text


def test_the_list_item_example_puts_technology_in_the_foreign_exchange_order():
    # Technology is listed in 外国為替令 別表 (which has no 第1); 別表第1 is the goods list
    # of 輸出貿易管理令.
    with translation.override("ja"):
        help_model = str(ExportClassification._meta.get_field("list_item").help_text)
        help_form = str(ClassificationForm().fields["list_item"].help_text)
    assert "技術は外為令別表 8項(1)" in help_model and "貨物は輸出令別表第1 8項(1)" in help_model
    assert "外国為替令別表" in help_form and "輸出貿易管理令別表第1" in help_form
