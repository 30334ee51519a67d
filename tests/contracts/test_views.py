"""Contract pages: who may see and change them, the list's filters, a contract's page, the
forms (what was typed is kept on an error), clauses, files and the provision plan."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mamori.contracts.models import Contract, ContractFile, ContractKind, ProvisionStage
from tests.contracts import factories as make

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    return response.content.decode()


# --- permissions ---------------------------------------------------------------------------


def _urls(contract: Contract, stage: ProvisionStage, record: ContractFile) -> list[str]:
    return [
        reverse("contracts:contract_list"),
        reverse("contracts:contract_create"),
        reverse("contracts:contract", kwargs={"pk": contract.pk}),
        reverse("contracts:contract_edit", kwargs={"pk": contract.pk}),
        reverse("contracts:contract_clauses", kwargs={"pk": contract.pk}),
        reverse("contracts:stage_edit", kwargs={"pk": stage.pk}),
        reverse("contracts:stage_delete", kwargs={"pk": stage.pk}),
        reverse("contracts:file", kwargs={"pk": record.pk}),
        reverse("contracts:file_delete", kwargs={"pk": record.pk}),
    ]


@pytest.fixture
def one_contract():
    asset = make.asset("仕様書")
    contract = make.contract(make.counterparty("東都大学"), title="秘密保持契約", scope=[asset])
    stage = make.stage(contract, "評価", [asset])
    record = ContractFile.objects.create(
        contract=contract, title="署名済み", file="contracts/x", original_name="nda.pdf", size=3
    )
    return contract, stage, record


def test_an_employee_cannot_open_any_contract_page(client_as, employee, one_contract):
    client = client_as(employee)
    for url in _urls(*one_contract):
        assert client.get(url).status_code == 403, url
        assert client.post(url).status_code == 403, url
    assert Contract.objects.count() == 1


def test_an_auditor_reads_but_cannot_change(client_as, auditor, one_contract):
    contract, stage, _ = one_contract
    client = client_as(auditor)
    assert client.get(reverse("contracts:contract_list")).status_code == 200
    page = client.get(reverse("contracts:contract", kwargs={"pk": contract.pk}))
    assert page.status_code == 200 and "秘密保持契約" in _page(page)
    clauses_url = reverse("contracts:contract_clauses", kwargs={"pk": contract.pk})
    assert clauses_url not in _page(page) and 'name="action"' not in _page(page)
    for url in [
        reverse("contracts:contract_create"),
        reverse("contracts:contract_edit", kwargs={"pk": contract.pk}),
        reverse("contracts:contract_clauses", kwargs={"pk": contract.pk}),
    ]:
        assert client.get(url).status_code == 403
    posted = client.post(
        reverse("contracts:contract", kwargs={"pk": contract.pk}),
        {"action": "reach", "stage": stage.pk, "reached_on": make.today().isoformat()},
    )
    assert posted.status_code == 403
    stage.refresh_from_db()
    assert stage.reached_on is None


# --- create, edit, clauses -----------------------------------------------------------------


def test_editor_creates_a_contract_then_ticks_its_clauses(client_as, editor):
    university = make.counterparty("東都大学")
    drawing, recipe = make.asset("電極の図面"), make.asset("電解液の配合表")
    client = client_as(editor)
    form = client.get(reverse("contracts:contract_create") + f"?counterparty={university.pk}")
    assert f'<option value="{university.pk}" selected>' in _page(form)
    response = client.post(
        reverse("contracts:contract_create") + f"?counterparty={university.pk}",
        {
            "title": "秘密保持契約（東都大学）",
            "kind": ContractKind.NDA,
            "counterparty": university.pk,
            "signed_on": make.days_ago(10).isoformat(),
            "ends_on": make.days_ahead(355).isoformat(),
            "renewal": "none",
            "scope": [drawing.pk, recipe.pk],
            "scope_note": "電極材料の評価",
        },
    )
    contract = Contract.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("contracts:contract_clauses", kwargs={"pk": contract.pk})
    assert set(contract.scope.all()) == {drawing, recipe}

    clauses = client.get(response["Location"])
    page = _page(clauses)
    # The clauses an NDA needs come first.
    required = make.required(ContractKind.NDA)
    positions = [page.index(f'data-clause="{clause}"') for clause in required]
    others = page.index('data-clause="urn:mamori:clause:change_of_control"')
    assert positions == sorted(positions) and max(positions) < others
    # Lines follow the checklist's order: held_0 is the first required clause.
    saved = client.post(
        response["Location"], {"held_0": "on", "article_0": "第5条", "article_1": "第6条"}
    )
    assert saved.status_code == 302
    assert dict(contract.clauses.values_list("clause", "article")) == {
        required[0]: "第5条",
        required[1]: "第6条",
    }

    page = _page(client.get(reverse("contracts:contract", kwargs={"pk": contract.pk})))
    assert f'data-clause="{required[0]}" data-clause-state="held"' in page
    assert f'data-clause="{required[2]}" data-clause-state="missing"' in page
    assert 'data-clause="urn:mamori:clause:change_of_control" data-clause-state="absent"' in page
    assert page.count('data-clause-state="missing"') == len(required) - 2
    assert "電極の図面" in page and "電極材料の評価" in page


def test_an_invalid_contract_is_shown_again_with_what_was_typed(client_as, editor):
    university = make.counterparty("東都大学")
    response = client_as(editor).post(
        reverse("contracts:contract_create"),
        {
            "title": "共同研究契約 第2期",
            "kind": ContractKind.JOINT_RESEARCH,
            "counterparty": university.pk,
            "signed_on": "2026-04-01",
            "starts_on": "2026-04-01",
            "ends_on": "2026-03-31",
            "renewal": "none",
        },
    )
    assert response.status_code == 400
    page = _page(response)
    assert "共同研究契約 第2期" in page and 'value="2026-03-31"' in page
    assert "errorlist" in page
    assert not Contract.objects.exists()


def test_editing_a_contract(client_as, editor):
    contract = make.contract(make.counterparty(), title="NDA")
    client = client_as(editor)
    form = client.get(reverse("contracts:contract_edit", kwargs={"pk": contract.pk}))
    assert form.status_code == 200 and 'value="NDA"' in _page(form)
    response = client.post(
        reverse("contracts:contract_edit", kwargs={"pk": contract.pk}),
        {
            "title": "NDA（更新）",
            "kind": ContractKind.NDA,
            "counterparty": contract.counterparty_id,
            "signed_on": contract.signed_on.isoformat(),
            "ends_on": make.days_ago(1).isoformat(),
            "renewal": "none",
        },
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.title == "NDA（更新）" and contract.ends_on == make.days_ago(1)


def test_the_scope_offers_a_searchable_slice_and_keeps_the_chosen(client_as, editor):
    chosen = make.asset("選択済みの図面")
    contract = make.contract(scope=[chosen])
    make.asset("電解液の配合表")
    page = _page(
        client_as(editor).get(
            reverse("contracts:contract_edit", kwargs={"pk": contract.pk}) + "?asset_q=配合"
        )
    )
    assert "電解液の配合表" in page and "選択済みの図面" in page
    assert f'value="{chosen.pk}"' in page and "checked" in page


# --- contract page -------------------------------------------------------------------------


def test_contract_page_shows_parties_plan_files_disclosures_and_findings(client_as, editor):
    university, lab = make.counterparty("東都大学"), make.counterparty("材料研究所")
    spec, drawing = make.asset("製品仕様書"), make.asset("金型図面")
    contract = make.contract(
        university,
        kind=ContractKind.MANUFACTURING,
        title="製造委託契約",
        scope=[spec, drawing],
        other_parties=[lab],
        clauses=[make.CONFIDENTIALITY],
    )
    make.stage(contract, "試作", [spec], reached_on=make.days_ago(20))
    make.stage(contract, "量産", [drawing])
    make.disclose(university, [drawing], contract=contract, disclosed_on=make.days_ago(5))
    page = _page(client_as(editor).get(reverse("contracts:contract", kwargs={"pk": contract.pk})))
    assert "東都大学" in page and "材料研究所" in page
    assert 'data-status="in_force"' in page
    assert 'data-stage="1" data-current="true"' in page and 'data-stage="2">' in page
    assert "量産" in page  # the next stage is offered
    assert 'data-rule="contracts.missing_clause"' in page
    assert reverse("disclosures:disclosure", kwargs={"pk": contract.disclosures.get().pk}) in page


def test_moving_on_a_stage_needs_the_previous_one(client_as, editor):
    asset = make.asset()
    contract = make.contract(kind=ContractKind.MANUFACTURING, scope=[asset])
    first = make.stage(contract, "試作", [asset])
    second = make.stage(contract, "量産")
    url = reverse("contracts:contract", kwargs={"pk": contract.pk})
    client = client_as(editor)
    refused = client.post(
        url, {"action": "reach", "stage": second.pk, "reached_on": make.today().isoformat()}
    )
    assert refused.status_code == 400 and "試作" in _page(refused)
    second.refresh_from_db()
    assert second.reached_on is None
    moved = client.post(
        url, {"action": "reach", "stage": first.pk, "reached_on": make.days_ago(1).isoformat()}
    )
    assert moved.status_code == 302
    first.refresh_from_db()
    assert first.reached_on == make.days_ago(1)
    set_back = client.post(url, {"action": "set_back", "stage": first.pk})
    assert set_back.status_code == 302
    first.refresh_from_db()
    assert first.reached_on is None


def test_adding_editing_and_removing_a_stage(client_as, editor):
    spec, other = make.asset("仕様書"), make.asset("範囲外の資料")
    contract = make.contract(kind=ContractKind.MANUFACTURING, scope=[spec])
    client = client_as(editor)
    url = reverse("contracts:contract", kwargs={"pk": contract.pk})
    outside = client.post(url, {"action": "stage", "name": "試作", "assets": [other.pk]})
    assert outside.status_code == 400 and "範囲外の資料" in _page(outside)
    added = client.post(
        url,
        {"action": "stage", "name": "試作", "assets": [spec.pk], "condition_to_proceed": "検収"},
    )
    assert added.status_code == 302
    stage = contract.stages.get()
    edit = reverse("contracts:stage_edit", kwargs={"pk": stage.pk})
    assert client.post(edit, {"name": "試作・評価", "assets": [spec.pk]}).status_code == 302
    stage.refresh_from_db()
    assert stage.name == "試作・評価"
    delete = reverse("contracts:stage_delete", kwargs={"pk": stage.pk})
    assert "試作・評価" in _page(client.get(delete))
    assert client.post(delete).status_code == 302
    assert not contract.stages.exists()


def test_files_upload_download_and_delete(client_as, editor, auditor, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    contract = make.contract()
    client = client_as(editor)
    url = reverse("contracts:contract", kwargs={"pk": contract.pk})
    upload = SimpleUploadedFile("nda-signed.pdf", b"%PDF signed copy")
    assert (
        client.post(url, {"action": "file", "title": "署名済み", "file": upload}).status_code == 302
    )
    record = ContractFile.objects.get()
    download = client_as(auditor).get(reverse("contracts:file", kwargs={"pk": record.pk}))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert "nda-signed.pdf" in download["Content-Disposition"]
    assert download["Content-Type"] == "application/octet-stream"
    assert b"".join(download.streaming_content) == b"%PDF signed copy"
    delete = reverse("contracts:file_delete", kwargs={"pk": record.pk})
    assert "署名済み" in _page(client.get(delete))
    assert client.post(delete).status_code == 302
    assert not ContractFile.objects.exists()


def test_an_oversized_file_is_refused_with_its_name(client_as, editor, settings):
    settings.MAMORI_MAX_UPLOAD_BYTES = 8
    contract = make.contract()
    response = client_as(editor).post(
        reverse("contracts:contract", kwargs={"pk": contract.pk}),
        {"action": "file", "file": SimpleUploadedFile("big.pdf", b"0123456789")},
    )
    assert response.status_code == 400 and "big.pdf" in _page(response)
    assert not ContractFile.objects.exists()


# --- list ----------------------------------------------------------------------------------


def test_list_filters_and_highlights_missing_clauses(client_as, auditor):
    university, maker = make.counterparty("東都大学"), make.counterparty("精密工業")
    make.contract(university, title="NDA 東都", ends_on=make.days_ahead(20))
    make.contract(maker, kind=ContractKind.MANUFACTURING, title="金型の外注", clauses=[])
    client = client_as(auditor)

    def listed(query: str = "") -> str:
        return _page(client.get(reverse("contracts:contract_list") + query))

    page = listed()
    assert "NDA 東都" in page and "金型の外注" in page
    assert 'data-status="expiring"' in page
    assert f'data-missing="{len(make.required(ContractKind.MANUFACTURING))}"' in page
    assert "金型の外注" not in listed(f"?counterparty={university.pk}")
    assert "NDA 東都" not in listed("?kind=manufacturing")
    assert "金型の外注" not in listed("?status=expiring")
    only_missing = listed("?missing=on")
    assert "金型の外注" in only_missing and "NDA 東都" not in only_missing
    assert "NDA 東都" not in listed("?status=ended")


def test_list_query_count_does_not_grow(client_as, auditor):
    def queries() -> int:
        client = client_as(auditor)
        client.get(reverse("contracts:contract_list"))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("contracts:contract_list"))
        assert response.status_code == 200
        return len(captured)

    make.contract(make.counterparty())
    few = queries()
    for index in range(12):
        party = make.counterparty()
        make.contract(party, other_parties=[make.counterparty()], scope=[make.asset()])
        make.contract(party, kind=ContractKind.JOINT_RESEARCH, clauses=[] if index % 2 else None)
    assert queries() == few
