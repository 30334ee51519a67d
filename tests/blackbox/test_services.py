"""The dictionary's rules, sanitizing with the disclosure it records, restoring and
the kept file's lifetime."""

from __future__ import annotations

import datetime
import hashlib
import io

import pytest
from django.utils import timezone, translation

from mamori.accounts.roles import Role
from mamori.audit.models import AuditEntry
from mamori.blackbox import selectors, services
from mamori.blackbox.importer import parse_terms_file
from mamori.blackbox.models import Sanitization, Term
from mamori.core.errors import ApplicationError, NotPermitted
from mamori.disclosures.models import Disclosure
from mamori.disclosures.services.ledger import DisclosureBlocked, DisclosureNeedsConfirmation
from tests.blackbox import factories as make
from tests.contracts import factories as contracts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Compare messages in English (the msgids)."""
    with translation.override("en"):
        yield


# --- the dictionary ----------------------------------------------------------------------------


def test_codenames_are_generated_per_category_and_kept():
    first = make.term("ポリシラザン", "material")
    second = make.term("フッ素樹脂", "material")
    supplier = make.term("東日本ケミカル株式会社", "supplier")
    assert (first.codename, second.codename, supplier.codename) == ("素材A", "素材B", "供給元A")
    changed = services.term_save(term=first, text="ポリシラザンPSZ", category="material")
    assert changed.codename == "素材A"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"text": "ＰＯＬＹ－１"}, "text", "already in the dictionary"),
        ({"text": "新素材", "variants": ["poly 1"]}, "variants", "already in the dictionary"),
        ({"text": "新素材", "codename": "素材Ａ"}, "codename", "already used"),
        ({"text": "新素材", "codename": "POLY-1社"}, "codename", "contains the term"),
        ({"text": "1250"}, "text", "no letter"),
        ({"text": "銅"}, "text", "single character"),
    ],
)
def test_a_term_that_would_collide_is_refused_with_the_field(fields, field, message):
    make.term("POLY-1", "material", codename="素材A")
    with pytest.raises(ApplicationError) as error:
        services.term_save(category="material", **fields)
    assert error.value.field == field and message in error.value.message


def test_a_term_inside_an_existing_codename_is_refused():
    make.term("ポリシラザン", "material", codename="特殊樹脂X")
    with pytest.raises(ApplicationError, match="appears in the codename"):
        services.term_save(text="樹脂X", category="material")


def test_import_writes_every_row_or_none():
    make.term("既存素材", "material")
    good = "term,category,codename,variants\n新素材A,material,,NS-A;ＮＳＡ\n既存素材,素材,特材Z,\n"
    parsed = parse_terms_file(good.encode(), "terms.csv")
    assert parsed.errors == []
    result = services.terms_import(parsed=parsed)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    assert Term.objects.get(text="既存素材").codename == "特材Z"
    assert Term.objects.get(text="新素材A").variants == ["NS-A", "ＮＳＡ"]

    bad = "用語,区分\n別素材,素材\nＮＳ－Ａ,素材\n"  # the second row is a spelling of 新素材A
    with pytest.raises(services.TermsImportError) as error:
        services.terms_import(parsed=parse_terms_file(bad.encode("cp932"), "terms.csv"))
    assert [(e.row, e.column) for e in error.value.errors] == [(3, "term")]
    assert not Term.objects.filter(text="別素材").exists()


def test_a_file_with_bad_rows_names_each_row_and_column():
    text = "term,category\nOK素材,material\n,material\n1250,process\n素材X,unknown\n"
    parsed = parse_terms_file(text.encode(), "terms.csv")
    assert [(e.row, e.column) for e in parsed.errors] == [
        (3, "term"),
        (4, "term"),
        (5, "category"),
    ]


def test_an_excel_dictionary_is_read():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["用語", "区分", "コードネーム", "表記ゆれ"])
    workbook.active.append(["株式会社ソーラーテック", "顧客", "", "ST社"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = parse_terms_file(buffer.getvalue(), "terms.xlsx")
    assert [(r.text, r.category, r.variants) for r in parsed.rows] == [
        ("株式会社ソーラーテック", "customer", ("ST社",))
    ]


def test_the_compiled_dictionary_follows_changes():
    first = make.term("ポリシラザン", "material")
    assert len(selectors.engine_dictionary()) == 1
    make.term("フッ素樹脂", "material")
    assert len(selectors.engine_dictionary()) == 2
    services.term_delete(term=first)
    assert [t.text for t in selectors.engine_dictionary().terms] == ["フッ素樹脂"]


# --- sanitizing and the disclosure ---------------------------------------------------------------


@pytest.fixture
def setting(make_user):
    """A customer with an NDA in force whose scope is the formula; a term linked to it."""
    formula = contracts.asset("コーティング配合表")
    customer = contracts.counterparty("株式会社ソーラーテック", kind="customer")
    nda = contracts.contract(customer, title="秘密保持契約", scope=[formula])
    make.term("ポリシラザン", "material", assets=[formula])
    return make_user(Role.EDITOR, "sender"), customer, nda, formula


def test_prepare_keeps_only_the_sanitized_file_and_its_hash(setting):
    user, customer, _nda, _formula = setting
    data = make.word_file("ポリシラザンを主剤とする。")
    prepared = services.sanitization_prepare(
        user=user, file_name="ポリシラザン仕様.docx", data=data, counterparty=customer
    )
    sanitization = prepared.sanitization
    kept = sanitization.output.read()
    assert hashlib.sha256(kept).hexdigest() == sanitization.output_sha256
    assert "ポリシラザン".encode() not in kept and data != kept
    assert sanitization.output_name == "素材A仕様_送付用.docx"
    assert sanitization.input_sha256 == hashlib.sha256(data).hexdigest()
    assert sanitization.confirmed_at is None and sanitization.replaced == 1
    assert list(sanitization.terms.values_list("text", flat=True)) == ["ポリシラザン"]
    assert prepared.report.secrets == ()


def test_confirm_records_a_codenamed_disclosure_with_the_hash(setting):
    user, customer, nda, formula = setting
    sanitization = services.sanitization_prepare(
        user=user,
        file_name="spec.txt",
        data="ポリシラザンを使う".encode(),
        counterparty=customer,
        contract=nda,
    ).sanitization
    services.sanitization_confirm(
        sanitization=sanitization, user=user, assets=[formula], purpose="評価依頼", method="email"
    )
    sanitization.refresh_from_db()
    disclosure = sanitization.disclosure
    assert disclosure.codenamed and disclosure.counterparty == customer
    assert list(disclosure.assets.all()) == [formula] and disclosure.contract == nda
    assert sanitization.output_sha256 in disclosure.purpose
    assert disclosure.purpose.startswith("評価依頼")
    with pytest.raises(ApplicationError, match="already been confirmed"):
        services.sanitization_confirm(sanitization=sanitization, user=user, assets=[formula])


def test_a_disclosure_with_warnings_needs_confirmation_and_writes_nothing(setting, officer):
    user, _customer, _nda, formula = setting
    stranger = contracts.counterparty("城北化成")  # no NDA
    sanitization = services.sanitization_prepare(
        user=user, file_name="a.txt", data="ポリシラザン".encode(), counterparty=stranger
    ).sanitization
    with pytest.raises(DisclosureNeedsConfirmation) as problem:
        services.sanitization_confirm(
            sanitization=sanitization, user=user, assets=[formula], purpose="見積"
        )
    assert not Disclosure.objects.exists()
    assert Sanitization.objects.get(pk=sanitization.pk).confirmed_at is None
    services.sanitization_confirm(
        sanitization=sanitization,
        user=user,
        assets=[formula],
        purpose="見積",
        confirmed=[w.key for w in problem.value.warnings],
    )
    assert Disclosure.objects.get().warnings[0]["code"] == "without_nda"


def test_top_secret_information_is_blocked_unless_the_officer_overrides(setting, officer):
    user, _customer, _nda, _formula = setting
    secret = contracts.asset("焼成条件", rank=1)
    stranger = contracts.counterparty("城北化成")
    sanitization = services.sanitization_prepare(
        user=user, file_name="a.txt", data="ポリシラザン".encode(), counterparty=stranger
    ).sanitization
    with pytest.raises(DisclosureBlocked) as blocked:
        services.sanitization_confirm(sanitization=sanitization, user=user, assets=[secret])
    keys = [w.key for w in blocked.value.warnings]
    with pytest.raises(NotPermitted):
        services.sanitization_confirm(
            sanitization=sanitization,
            user=user,
            assets=[secret],
            confirmed=keys,
            override_reason="必要",
        )
    services.sanitization_confirm(
        sanitization=sanitization,
        user=officer,
        assets=[secret],
        confirmed=keys,
        override_reason="評価に不可欠",
    )
    assert Disclosure.objects.get().override_by == officer


def test_without_a_recipient_confirming_records_no_disclosure(setting):
    user, *_ = setting
    sanitization = services.sanitization_prepare(
        user=user, file_name="a.md", data="# ポリシラザン".encode()
    ).sanitization
    services.sanitization_confirm(sanitization=sanitization, user=user)
    assert not Disclosure.objects.exists()
    assert selectors.can_download(Sanitization.objects.get(), user)


def test_an_unreadable_document_is_refused_and_nothing_is_kept(setting):
    user, *_ = setting
    with pytest.raises(ApplicationError) as error:
        services.sanitization_prepare(user=user, file_name="a.docx", data=b"PK\x03\x04broken")
    assert error.value.field == "file" and "damaged" in error.value.message
    assert not Sanitization.objects.exists()


def test_expired_files_are_deleted_and_the_history_stays(setting):
    user, *_ = setting
    sanitization = services.sanitization_prepare(
        user=user, file_name="a.txt", data="ポリシラザン".encode()
    ).sanitization
    services.sanitization_confirm(sanitization=sanitization, user=user)
    storage, name = sanitization.output.storage, sanitization.output.name
    assert services.sanitization_purge_expired(timezone.now()) == 0
    later = timezone.now() + datetime.timedelta(hours=services.keep_hours() + 1)
    assert services.sanitization_purge_expired(later) == 1
    sanitization.refresh_from_db()
    assert not sanitization.output and not storage.exists(name)
    assert sanitization.output_sha256 and not selectors.can_download(sanitization, user)


def test_restore_is_for_the_officer_and_is_recorded(setting, officer, editor):
    make.term("東日本ケミカル", "supplier")
    data = "供給元Aに素材Aを発注".encode()
    with pytest.raises(NotPermitted):
        services.sanitization_restore(user=editor, file_name="reply.txt", data=data)
    sanitization, result = services.sanitization_restore(
        user=officer, file_name="reply.txt", data=data
    )
    assert result.data.decode() == "東日本ケミカルにポリシラザンを発注"
    assert sanitization.kind == "restore" and sanitization.replaced == 2
    assert not sanitization.output


def test_a_scan_is_audited():
    make.term("ポリシラザン", "material")
    report = services.document_scan(file_name="a.txt", data="社外秘 ポリシラザン".encode())
    assert [f.kind for f in report.findings] == ["marking", "term"]
    entry = AuditEntry.objects.filter(object_type="blackbox.scan").get()
    assert entry.changes["secret"] == 2
