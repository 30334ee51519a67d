"""Information-management rules: versions (text or a size-limited file), the version in
force, acknowledgements from My Page, who has not acknowledged (pages, API, export), the
finding for a person in service who has not, and the audit log."""

from __future__ import annotations

import datetime
import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from mamori.accounts.roles import Role
from mamori.audit.models import AuditEntry
from mamori.core.errors import ApplicationError, NotPermitted
from mamori.exchange.export import export_workbook
from mamori.exchange.spec import get_registry
from mamori.findings.registry import RuleContext, registry, specs
from mamori.people import services as people_services
from mamori.rulebook import selectors, services
from mamori.rulebook.models import RuleAcknowledgement, RuleVersion
from tests.rulebook import factories as make

pytestmark = pytest.mark.django_db

RULE = "rulebook.not_acknowledged"


def _person(name: str, joined_days_ago: int = 400, **fields):
    return people_services.person_create(
        name=name, joined_on=make.days_ago(joined_days_ago), **fields
    )


def _hits(today: datetime.date | None = None) -> list:
    return registry.run(specs(), RuleContext(today=today or make.today()), only=[RULE])


# --- services ------------------------------------------------------------------------------


def test_a_version_needs_text_or_a_file_and_a_new_label(officer):
    document = make.rules()
    with pytest.raises(ApplicationError) as caught:
        services.rule_version_publish(
            document=document, user=officer, label="第1版", effective_from=make.today()
        )
    assert caught.value.field == "text"
    make.version("第1版")
    with pytest.raises(ApplicationError) as caught:
        make.version("第1版")
    assert caught.value.field == "label"


def test_a_file_is_kept_with_its_digest_and_the_size_limit_holds(officer):
    content = "1. 私物端末での業務データの保存を禁止する。".encode()
    version = services.rule_version_publish(
        document=make.rules("情報機器・ソフトウェア利用細則"),
        user=officer,
        label="第1版",
        effective_from=make.today(),
        upload=SimpleUploadedFile("細則.txt", content),
    )
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert version.original_name == "細則.txt" and version.file.read() == content
    with override_settings(MAMORI_MAX_UPLOAD_BYTES=10), pytest.raises(ApplicationError) as caught:
        services.rule_version_publish(
            document=version.document,
            user=officer,
            label="第2版",
            effective_from=make.today(),
            upload=SimpleUploadedFile("大きい.txt", content),
        )
    assert caught.value.field == "upload"
    assert RuleVersion.objects.count() == 1


def test_only_the_officer_publishes(editor):
    with pytest.raises(NotPermitted):
        services.rule_document_save(user=editor, title="情報管理規程")


def test_the_latest_version_whose_date_has_come_is_in_force():
    old = make.version("第1版", effective_from=make.days_ago(300))
    current = make.version("第2版", effective_from=make.days_ago(10))
    make.version("第3版", effective_from=make.today() + datetime.timedelta(days=30))
    assert list(selectors.versions_in_force()) == [current]
    assert selectors.version_in_force(old.document) == current


def test_a_person_acknowledges_once_for_themself_and_not_for_others(employee, make_user):
    version = make.version()
    me = _person("社員 本人", user=employee)
    other = _person("同僚 他人", user=make_user(Role.EMPLOYEE, "colleague"))
    first = services.rule_acknowledge(version=version, person=me, user=employee)
    again = services.rule_acknowledge(version=version, person=me, user=employee)
    assert first.pk == again.pk and first.acknowledged_on == make.today()
    with pytest.raises(NotPermitted):
        services.rule_acknowledge(version=version, person=other, user=employee)
    assert AuditEntry.objects.filter(object_type="rulebook.ruleacknowledgement").exists()


# --- the finding ---------------------------------------------------------------------------


def test_fires_for_people_in_service_who_have_not_acknowledged_the_version_in_force():
    make.version("第1版", effective_from=make.days_ago(300))
    current = make.version("第2版", effective_from=make.days_ago(30))
    done, missing = _person("確認 済子"), _person("未確認 太郎")
    make.acknowledge(current, done)
    [finding] = _hits()
    assert finding.params["person"] == "未確認 太郎" and finding.params["version"] == "第2版"
    assert [o.type for o in finding.objects] == ["people.person", "rulebook.ruledocument"]
    make.acknowledge(current, missing)
    assert _hits() == []


def test_an_older_version_acknowledged_does_not_count_for_the_new_one():
    old = make.version("第1版", effective_from=make.days_ago(300))
    person = _person("旧版 確認")
    make.acknowledge(old, person, on=make.days_ago(200))
    make.version("第2版", effective_from=make.days_ago(30))
    assert [f.params["person"] for f in _hits()] == ["旧版 確認"]


def test_not_within_the_grace_nor_for_leavers_nor_new_joiners(officer):
    make.version(effective_from=make.days_ago(5))  # in force, but within the 14 days
    _person("在籍 一郎")
    assert _hits() == []
    assert len(_hits(make.today() + datetime.timedelta(days=10))) == 1
    RuleVersion.objects.all().delete()
    make.version("第2版", effective_from=make.days_ago(60))
    _person("新人 花子", joined_days_ago=3)
    leaver = _person("退職 次郎")
    leaver.status = "departed"
    leaver.save()
    assert [f.params["person"] for f in _hits()] == ["在籍 一郎"]


def test_the_information_rules_row_needs_rules_in_force():
    from mamori.findings.selectors import derived_check

    check = derived_check("urn:mamori:row:people:information-rules")
    assert not check.satisfied
    assert "情報管理規程が登録され、現行の版がある" in check.reasons(specs().rules, "ja")


# --- pages ---------------------------------------------------------------------------------


def test_the_officer_adds_rules_and_publishes_a_version_with_a_file(officer, client_as):
    client = client_as(officer)
    assert client.post(reverse("rulebook:document_create"), {"title": ""}).status_code == 400
    created = client.post(
        reverse("rulebook:document_create"), {"title": "情報管理規程", "covers": ""}
    )
    document = make.rules()
    assert created["Location"] == reverse("rulebook:document", args=[document.pk])
    url = reverse("rulebook:document", args=[document.pk])
    refused = client.post(url, {"label": "第1版", "effective_from": make.today().isoformat()})
    assert refused.status_code == 400 and not RuleVersion.objects.exists()
    published = client.post(
        url,
        {
            "label": "第1版",
            "effective_from": make.today().isoformat(),
            "upload": SimpleUploadedFile("規程.txt", "第1条".encode()),
        },
    )
    assert published.status_code == 302
    version = RuleVersion.objects.get()
    download = client.get(reverse("rulebook:version_file", args=[version.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == "第1条".encode()
    assert "attachment" in download["Content-Disposition"]


def test_roles_on_the_pages(officer, editor, auditor, employee, client_as):
    version = make.version()
    document_url = reverse("rulebook:document", args=[version.document_id])
    for user in (editor, auditor):
        client = client_as(user)
        assert client.get(reverse("rulebook:document_list")).status_code == 200
        assert client.get(document_url).status_code == 200
        assert client.get(reverse("rulebook:document_create")).status_code == 403
        assert client.post(document_url, {"label": "第2版"}).status_code == 403
    client = client_as(employee)
    assert client.get(reverse("rulebook:document_list")).status_code == 403
    assert client.get(document_url).status_code == 403
    assert client.get(reverse("rulebook:version", args=[version.pk])).status_code == 200


def test_the_officer_sees_who_has_not_acknowledged(officer, client_as):
    version = make.version()
    done, missing = _person("確認 済子"), _person("未確認 太郎")
    make.acknowledge(version, done)
    page = (
        client_as(officer)
        .get(reverse("rulebook:document", args=[version.document_id]))
        .content.decode()
    )
    assert f'data-pending-person="{missing.pk}"' in page
    assert f'data-pending-person="{done.pk}"' not in page
    listing = client_as(officer).get(reverse("rulebook:document_list")).content.decode()
    assert 'data-pending="1"' in listing


def test_the_officer_records_an_acknowledgement_given_on_paper(officer, editor, client_as):
    version = make.version()
    person = _person("紙 確認")
    url = reverse("rulebook:document", args=[version.document_id])
    data = {"action": "paper", "person": person.pk, "acknowledged_on": make.today().isoformat()}
    assert client_as(editor).post(url, data).status_code == 403
    response = client_as(officer).post(url, data)
    assert response.status_code == 302
    acknowledgement = RuleAcknowledgement.objects.get()
    assert acknowledgement.person == person and acknowledgement.recorded_by == officer
    assert _hits() == []


def test_an_employee_acknowledges_from_my_page(employee, client_as):
    version = make.version()
    me = _person("社員 本人", user=employee)
    client = client_as(employee)
    page = client.get(reverse("people:me")).content.decode()
    assert f'data-rule-version="{version.pk}" data-acknowledged="no"' in page
    response = client.post(reverse("rulebook:acknowledge"), {"version": version.pk})
    assert response.status_code == 302 and response["Location"].endswith("#rules")
    acknowledgement = RuleAcknowledgement.objects.get()
    assert acknowledgement.person == me and acknowledgement.recorded_by == employee
    page = client.get(reverse("people:me")).content.decode()
    assert f'data-rule-version="{version.pk}" data-acknowledged="yes"' in page


def test_an_account_without_a_person_cannot_acknowledge(employee, client_as):
    version = make.version()
    client_as(employee).post(reverse("rulebook:acknowledge"), {"version": version.pk})
    assert not RuleAcknowledgement.objects.exists()


# --- API and export ------------------------------------------------------------------------


def test_the_api_serves_versions_and_acknowledgements(officer, employee, client_as):
    version = make.version()
    person = _person("確認 済子")
    make.acknowledge(version, person)
    client = client_as(officer)
    [document] = client.get("/api/rules/").json()["results"]
    assert document["title"] == "情報管理規程" and document["versions"][0]["label"] == "第1版"
    rows = client.get(f"/api/rule-acknowledgements/?person={person.pk}").json()["results"]
    assert [r["version"]["label"] for r in rows] == ["第1版"]
    assert client_as(employee).get("/api/rules/").status_code == 403


def test_an_employee_reads_their_own_rules_through_the_api(employee, client_as):
    version = make.version()
    me = _person("社員 本人", user=employee)
    client = client_as(employee)
    [row] = client.get("/api/me/rules/").json()["results"]
    assert row["label"] == "第1版" and row["acknowledged_on"] is None
    make.acknowledge(version, me, on=make.days_ago(1))
    [row] = client.get("/api/me/rules/").json()["results"]
    assert row["acknowledged_on"] == make.days_ago(1).isoformat()


def test_the_workbook_has_the_rules_and_who_has_not_acknowledged(officer):
    version = make.version()
    make.acknowledge(version, _person("確認 済子"))
    _person("未確認 太郎")
    wanted = {"rule_versions", "rule_acknowledgements", "rules_pending"}
    result = export_workbook(
        user=officer, registers=[r for r in get_registry() if r.name in wanted]
    )
    book = load_workbook(io.BytesIO(result.content))
    pending = [row for row in book["情報管理規程の未確認者"].iter_rows(values_only=True)]
    assert pending[1][3] == "未確認 太郎"
    acknowledged = [row for row in book["情報管理規程の確認"].iter_rows(values_only=True)]
    assert "確認 済子" in acknowledged[1]
    assert book["情報管理規程"]["B2"].value == "第1版"
