"""Every path that can show an asset's secret details, for every role and a grant before,
during and after its validity (and revoked): the details appear exactly where the one
need-to-know rule (``assets.selectors.assets_with_details``) says, and nowhere else.

The paths: the asset's page and its edit form, the API's asset detail (GET and PATCH),
``/api/me/grants/``, the register workbook and CSV, the audit log page and its CSV, the
Excel/CSV import (which must refuse a change to an asset the user may not see), the
employee's own page, the digest and the PDF report's data.
"""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from mamori.accounts.roles import Role
from mamori.api import services as api_services
from mamori.api.base import NEED_TO_KNOW
from mamori.assets import services
from mamori.assets.models import InformationAsset
from mamori.assets.selectors import assets_with_details, can_see_asset_details
from mamori.core.actor import acting_as
from mamori.notify.digest import digest_build
from mamori.notify.selectors import digest_collect
from mamori.reports.selectors import registers_summary
from tests.api.conftest import TokenClient
from tests.assets import factories as make

pytestmark = pytest.mark.django_db

SECRET = "保管場所は第二実験棟B-17の金庫"
ROLES = [Role.OFFICER, Role.EXECUTIVE, Role.EDITOR, Role.EMPLOYEE, Role.AUDITOR]
PHASES = ["none", "before", "during", "after", "revoked"]


def _today() -> datetime.date:
    return timezone.localdate()


def _grant(person, asset, phase: str, officer) -> None:
    day = datetime.timedelta(days=1)
    today = _today()
    if phase == "none":
        return
    if phase == "before":  # starts next month
        make.grant(
            person,
            asset,
            valid_from=today + 30 * day,
            valid_until=today + 90 * day,
            granted_by=officer,
        )
    elif phase == "during":
        make.grant(
            person,
            asset,
            valid_from=today - 30 * day,
            valid_until=today + 30 * day,
            granted_by=officer,
        )
    elif phase == "after":  # ended last month
        make.grant(
            person,
            asset,
            valid_from=today - 90 * day,
            valid_until=today - 30 * day,
            granted_by=officer,
        )
    elif phase == "revoked":
        grant = make.grant(person, asset, valid_from=today - 30 * day, granted_by=officer)
        services.grant_revoke(grant=grant, revoked_by=officer, reason="異動")


@pytest.fixture
def world(make_user, officer):
    def build(role: str, phase: str):
        user = officer if role == Role.OFFICER else make_user(role, f"u-{role}")
        with acting_as(officer):
            asset = make.asset("極秘の焼成条件書", storage_location=SECRET)
            person = make.person("利用者 本人", user=user)
            _grant(person, asset, phase, officer)
        return user, asset

    return build


def _entitled(role: str, phase: str) -> bool:
    return role == Role.OFFICER or phase == "during"


def _text(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode("utf-8-sig", errors="replace")


def _workbook_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content))
    return "\n".join(
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_secret_details_appear_only_for_those_who_need_to_know(client_as, world, role, phase):
    user, asset = world(role, phase)
    entitled = _entitled(role, phase)
    assert can_see_asset_details(user, asset) is entitled
    visible = assets_with_details(user)
    assert (visible is None or asset.pk in visible) is entitled
    client = client_as(user)
    with acting_as(user):
        api = TokenClient(api_services.token_create(user=user, name="paths").key)
    shown: dict[str, bool] = {}
    refused: dict[str, bool] = {}

    # Pages.
    page = client.get(reverse("assets:asset", args=[asset.pk]))
    shown["asset page"] = SECRET in _text(page)
    if user.has_capability("registers.edit"):
        form = client.get(reverse("assets:asset_edit", args=[asset.pk]))
        shown["asset edit form"] = SECRET in _text(form)

    # API.
    detail = api.get(f"/api/assets/{asset.pk}/")
    if detail.status_code == 200:
        shown["API detail"] = SECRET in json.dumps(detail.json(), ensure_ascii=False)
        assert detail.json()["details_visible"] is entitled
        listing = api.get("/api/assets/")
        assert SECRET not in json.dumps(listing.json(), ensure_ascii=False)
    grants = api.get("/api/me/grants/")
    if grants.status_code == 200 and phase != "none":
        [mine] = grants.json()["results"]
        assert mine["is_active"] is (phase == "during")
        active = api.get("/api/me/grants/", {"active": "true"}).json()["results"]
        assert len(active) == (1 if phase == "during" else 0)

    # Exports.
    export = reverse("exchange:export")
    if user.has_capability("programme.view"):
        workbook = client.get(export, {"format": "xlsx", "register": "assets"})
        shown["register workbook"] = SECRET in _workbook_text(workbook.content)
        for encoding in ("utf-8", "cp932"):
            response = client.get(
                export, {"format": "csv", "register": "assets", "encoding": encoding}
            )
            codec = "utf-8-sig" if encoding == "utf-8" else "cp932"
            shown[f"register CSV {encoding}"] = SECRET in response.content.decode(codec)

    # The audit log: the asset's creation carries its storage location.
    if user.has_capability("audit.view"):
        log = client.get(reverse("audit:log"), {"object_type": "assets.informationasset"})
        shown["audit page"] = SECRET in _text(log)
        shown["audit CSV"] = SECRET in _text(client.get(reverse("audit:export")))

    # Pages that never show details, whoever asks.
    assert SECRET not in _text(client.get(reverse("people:me")))

    # Changes (after every read: they change the details). The import comes first.
    # The import: a change of the storage location and the owner (problem 2).
    if user.has_capability("registers.edit"):
        content = _csv(
            [
                ["資産名", "種類", "保管場所", "管理責任者"],
                [asset.name, "製造条件", "私の机", "利用者 本人"],
            ]
        )
        upload = SimpleUploadedFile("assets.csv", content, content_type="text/csv")
        check = client.post(reverse("exchange:import"), {"file": upload, "register": "assets"})
        refused["import"] = check.status_code == 400
        if check.status_code == 400:
            errors = check.context["errors"]
            assert len(errors) == 1, errors
            [error] = errors
            with translation.override("ja"):
                assert error.row == 2 and error.message == str(NEED_TO_KNOW)
            assert error.column == "保管場所"
        else:
            token = check.context["confirm_form"].initial["token"]
            client.post(reverse("exchange:import_confirm"), {"token": token})
            assert InformationAsset.objects.get(pk=asset.pk).storage_location == "私の机"

    if user.has_capability("registers.edit"):
        edit = client.post(
            reverse("assets:asset_edit", args=[asset.pk]),
            {"name": "極秘の焼成条件書", "kind": "process_condition", "storage_location": "X"},
        )
        refused["asset edit form"] = edit.status_code == 403
    patch = api.patch_json(f"/api/assets/{asset.pk}/", {"storage_location": "盗んだ場所"})
    if user.has_capability("registers.edit"):
        refused["API PATCH"] = patch.status_code == 403

    for path, seen in shown.items():
        assert seen is entitled, f"{path}: {role}, grant {phase}"
    for path, was_refused in refused.items():
        assert was_refused is not entitled, f"{path}: {role}, grant {phase}"


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def test_the_digest_and_the_report_carry_no_details(officer, make_user):
    """The digest and the PDF report name assets but never their details, for anyone."""
    with acting_as(officer):
        make.asset("極秘の焼成条件書", storage_location=SECRET, owner=None, marking="")
    for user in (officer, make_user(Role.EDITOR, "digest-editor")):
        digest = digest_build(user, digest_collect())
        assert not digest.is_empty or user != officer
        assert SECRET not in repr(digest)
    assert SECRET not in repr(registers_summary())
