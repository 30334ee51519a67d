"""Build the fictional demo company through the same services the UI uses.

株式会社ルミナス素材研究所 (Luminous Materials Lab) is a seed/early-stage startup that
develops a coating for perovskite solar cells. Its officer has started the programme:
some rows are done with evidence, some in progress, the overseas-production rows do not
apply yet. Every write goes through services, so the audit log tells the story too.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from mamori.accounts import services as account_services
from mamori.accounts.models import User
from mamori.accounts.roles import Role
from mamori.assessment import services as checklist_services
from mamori.assessment.models import Status
from mamori.company import services as company_services
from mamori.core.actor import acting_as
from mamori.core.progress import Progress
from mamori.demo.api import build_api
from mamori.demo.blackbox import build_blackbox
from mamori.demo.contracts import build_contract_check
from mamori.demo.exportcontrol import build_exportcontrol
from mamori.demo.findings import build_findings
from mamori.demo.governance import build_governance
from mamori.demo.incidents import build_incidents
from mamori.demo.notify import build_notify
from mamori.demo.partners import build_partners
from mamori.demo.registers import build_registers
from mamori.demo.reports import build_snapshots
from mamori.demo.rulebook import build_rulebook
from mamori.demo.watch import build_watch
from mamori.people import services as people_services
from mamori.people.models import Person

DEMO_PASSWORD = "mamori-demo-2026"  # noqa: S105 - printed for the demo, by design

ROW = "urn:mamori:row:"


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    role: str
    email: str


DEMO_USERS = (
    DemoUser("sato", "佐藤 美咲", Role.OFFICER, "sato@luminous-lab.example"),
    DemoUser("tanaka", "田中 健一", Role.EXECUTIVE, "tanaka@luminous-lab.example"),
    DemoUser("suzuki", "鈴木 大輔", Role.EDITOR, "suzuki@luminous-lab.example"),
    DemoUser("takahashi", "高橋 由美", Role.EMPLOYEE, "takahashi@luminous-lab.example"),
    DemoUser("ito", "伊藤 誠", Role.AUDITOR, "ito@audit-partner.example"),
)

APPOINTMENT_LETTER = """\
技術流出対策責任者 任命書

株式会社ルミナス素材研究所
代表取締役 田中 健一

取締役CTO 佐藤 美咲 を、当社の技術流出対策の責任者に任命する。

責任者は、部署横断で技術流出対策を推進し、重点的に守るべき技術の特定・評価、
営業秘密管理、アクセス権限の見直し、取引先・共同研究先との情報提供の管理を統括する。
四半期ごとに取締役会へ状況を報告する。
"""

TECHNOLOGY_LIST = """\
重点的に守るべき技術 一覧

1. ペロブスカイト層保護コーティングの配合比（コア技術／営業秘密として管理）
2. 低温成膜プロセスの温度・時間条件（コア技術／営業秘密として管理）
3. 耐湿評価の加速試験方法（特許出願を検討中）
4. 前駆体材料の調達先（秘匿：コードネームで社外とやり取り）
"""


def demo_exists() -> bool:
    return User.objects.filter(username=DEMO_USERS[0].username).exists()


# Built after the checklist, in this order; each is one step of the progress.
LATER_PARTS = (
    build_watch,
    build_blackbox,
    build_exportcontrol,
    build_notify,
    build_api,
    build_contract_check,
    build_incidents,
    build_findings,
)


@transaction.atomic
def build_demo(
    today: datetime.date | None = None, progress: Progress | None = None
) -> dict[str, User]:
    """Create the demo company, its users and a partly worked checklist; return the users.
    ``progress`` advances by one for each part built."""
    today = today or timezone.localdate()
    progress = progress or Progress()
    progress.step(gettext("Building the demo company"), total=4 + len(LATER_PARTS))
    users = {
        spec.username: account_services.user_create(
            username=spec.username,
            password=DEMO_PASSWORD,
            role=spec.role,
            display_name=spec.display_name,
            email=spec.email,
            must_change_password=False,
        )
        for spec in DEMO_USERS
    }
    officer, ceo, editor = users["sato"], users["tanaka"], users["suzuki"]
    days = datetime.timedelta

    with acting_as(officer):
        company_services.company_save(
            name="株式会社ルミナス素材研究所",
            name_en="Luminous Materials Lab Inc.",
            corporate_number="",
            address="茨城県つくば市千現2丁目1番6号 つくば研究支援センター内",
            industry="素材・化学（ペロブスカイト太陽電池用コーティング材）",
            business=(
                "ペロブスカイト太陽電池の耐久性を高める保護コーティング材の研究開発。"
                "大学との共同研究で評価手法を確立し、2027年の量産試作を目指す。"
            ),
            founded_on=datetime.date(2023, 4, 3),
            employee_count=14,
            officer=officer,
            officer_appointed_on=today - datetime.timedelta(days=60),
            officer_mandate=(
                "取締役CTOとして技術流出対策を統括し、四半期ごとに取締役会へ報告する。"
            ),
        )
        company_services.stage_decide(
            decided_by=officer,
            stage="seed_early",
            answers={"urn:mamori:wizard:commercial": False},
        )
        build_registers(users, today)
        build_rulebook(users, today)
        build_governance(today)
        progress.advance()
        build_partners(users, today)
        progress.advance()
        evidence = (
            ("common:organisation", "技術流出対策責任者", "任命書", APPOINTMENT_LETTER, 60),
            ("common:identify-technologies", "重点的に守るべき技術", "一覧", TECHNOLOGY_LIST, 14),
        )
        for row, subject, document, text, age in evidence:
            _answer(row, Status.DONE, officer)
            checklist_services.evidence_add_file(
                row_id=ROW + row,
                added_by=officer,
                upload=SimpleUploadedFile(f"{subject}_{document}.txt", text.encode("utf-8")),
                title=f"{subject} {document}",
                effective_date=today - days(age),
            )
        checklist_services.comment_add(
            row_id=f"{ROW}common:identify-technologies",
            author=officer,
            body="3件の技術について該非判定（非該当）を完了。1年後に再判定します。",
        )
        _answer("common:core-technology-management", Status.IN_PROGRESS, editor, today + days(45))

    with acting_as(editor):
        _answer("people:information-rules", Status.DONE, editor)
        checklist_services.evidence_add_link(
            row_id=f"{ROW}people:information-rules",
            added_by=editor,
            url="https://intranet.luminous-lab.example/rules/information-management",
            title="情報管理規程（第2版）・副業兼業届出手続",
            effective_date=today - datetime.timedelta(days=30),
        )
        _answer("people:access-control", Status.IN_PROGRESS, editor, today - days(3))
        checklist_services.comment_add(
            row_id=f"{ROW}people:access-control",
            author=editor,
            body="権限の棚卸しは完了。山本さんの退職申出を受けて、権限の取消しを進めます。",
        )
        _answer(
            "joint_research:partner-dd-public-info", Status.IN_PROGRESS, editor, today + days(21)
        )

    with acting_as(officer):
        for row in ("overseas_production:contract-scope", "overseas_production:partner-dd"):
            checklist_services.answer_update(
                row_id=f"{ROW}{row}",
                status=Status.NOT_APPLICABLE,
                not_applicable_reason="現時点で海外での生産委託・ライセンスの予定はない（2027年度に再検討）。",
                owner=officer,
            )

    with acting_as(editor):
        _answer("joint_research:theme-selection", Status.DONE, editor)
        _answer("alignment:pre-deal-scope", Status.DONE, editor)

    with acting_as(ceo):
        _answer("alignment:confidentiality-clauses", Status.IN_PROGRESS, ceo, today + days(7))
    progress.advance()
    for build in LATER_PARTS:
        build(users, today)
        progress.advance()
    build_needs_review(users)
    build_snapshots(today)  # last: the real snapshot of today ends the made-up history
    progress.advance()
    return users


def _answer(row: str, status: str, owner: User, due: datetime.date | None = None) -> None:
    """Set a checklist row's status, owner and due date."""
    checklist_services.answer_update(row_id=ROW + row, status=status, owner=owner, due_date=due)


def build_needs_review(users: dict[str, User]) -> None:
    """A 完了 row the registers stopped supporting: 小林 declared a side job that touches
    the company's technology two days ago and nobody has reviewed it yet, so
    「情報管理に関するルールを整備し、運用する」 (done, with evidence) is 要再確認 until the
    declaration is reviewed on his page."""
    with acting_as(users["suzuki"]):
        people_services.side_job_declare(
            person=Person.objects.get(name="小林 拓也"),
            organisation="株式会社グリーンセル（太陽電池ベンチャー）",
            activity="週末の技術アドバイザー（月2回、報酬あり）",
            overlaps_our_technology=True,
            overlap_note="ペロブスカイト太陽電池の封止。当社の封止技術と重なる可能性がある。",
            declared_on=timezone.localdate() - datetime.timedelta(days=2),
        )
    checklist_services.checklist_recheck()
