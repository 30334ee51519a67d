"""The demo company's codename dictionary: its terms, linked to the demo's assets."""

from __future__ import annotations

import pytest

from mamori.blackbox import services
from mamori.blackbox.models import Term
from mamori.demo.blackbox import TERMS
from mamori.demo.builder import build_demo

pytestmark = pytest.mark.django_db


def test_the_demo_dictionary_names_the_demo_company_s_secrets():
    users = build_demo()
    assert Term.objects.count() == len(TERMS)
    for text, category, _variants, linked in TERMS:
        term = Term.objects.get(text=text)
        assert term.category == category
        assert sorted(term.assets.values_list("name", flat=True)) == sorted(linked)
    sanitization = services.sanitization_prepare(
        user=users["suzuki"],
        file_name="依頼書.txt",
        data="東日本ケミカルのPSZ-20を成膜温度120℃で使う。株式会社ソーラーテック向け。".encode(),
    ).sanitization
    kept = sanitization.output.read().decode()
    assert kept == "供給元AのPSZ-20を条件Aで使う。顧客A向け。".replace("PSZ-20", "素材A")


def test_the_demo_history_holds_a_sanitized_pdf():
    from mamori.blackbox.models import Sanitization
    from mamori.demo.blackbox import specification_pdf
    from mamori.engines.codenames import scan

    build_demo()
    pdf = Sanitization.objects.get(format="pdf")
    assert pdf.replaced == 5 and pdf.residual["secret"] == 0
    assert pdf.created_by.username == "suzuki" and pdf.via_cli
    report = scan(specification_pdf(), "spec.pdf", services.compiled_dictionary())
    assert len([f for f in report.secrets if f.kind == "term"]) == 5  # the original names them
