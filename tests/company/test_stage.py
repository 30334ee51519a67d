"""The stage wizard proposes a stage; the officer confirms it or overrides it with a reason."""

from __future__ import annotations

import json
import re

import pytest

from mamori.accounts.roles import Role
from mamori.catalog.selectors import get_catalog
from mamori.company import services
from mamori.company.models import StageDecision
from mamori.company.services import OVERRIDE_NEEDS_REASON
from mamori.company.stage_wizard import propose_stage
from mamori.core.errors import ApplicationError

COMMERCIAL = "urn:mamori:wizard:commercial"
EXIT = "urn:mamori:wizard:exit"


@pytest.mark.parametrize(
    ("answers", "stage", "asked"),
    [
        ({COMMERCIAL: False}, "seed_early", (COMMERCIAL,)),
        ({COMMERCIAL: False, EXIT: True}, "seed_early", (COMMERCIAL,)),
        ({COMMERCIAL: True, EXIT: False}, "middle", (COMMERCIAL, EXIT)),
        ({COMMERCIAL: True, EXIT: True}, "later", (COMMERCIAL, EXIT)),
    ],
)
def test_answers_lead_to_a_stage(answers, stage, asked):
    proposal = propose_stage(get_catalog(), answers)
    assert proposal.stage == stage and proposal.asked == asked


def test_a_missing_answer_on_the_path_is_named():
    with pytest.raises(ApplicationError) as error:
        propose_stage(get_catalog(), {COMMERCIAL: True})
    assert error.value.field == EXIT


@pytest.mark.django_db
def test_confirming_the_proposal_needs_no_reason(officer):
    decision = services.stage_decide(
        decided_by=officer, stage="middle", answers={COMMERCIAL: True, EXIT: False}
    )
    assert decision.proposed_stage == "middle" and not decision.is_override


@pytest.mark.django_db
def test_overriding_the_proposal_needs_a_reason(officer):
    with pytest.raises(ApplicationError) as error:
        services.stage_decide(decided_by=officer, stage="later", answers={COMMERCIAL: False})
    assert error.value.message == OVERRIDE_NEEDS_REASON
    decision = services.stage_decide(
        decided_by=officer,
        stage="later",
        answers={COMMERCIAL: False},
        reason="M&Aの交渉が始まったため",
    )
    assert decision.is_override and decision.proposed_stage == "seed_early"


@pytest.mark.django_db
def test_wizard_in_the_browser_without_javascript(client_as, officer):
    client = client_as(officer)
    page = client.post("/company/stage/", {COMMERCIAL: "yes", EXIT: "no"}).content.decode()
    assert "ミドル期" in page and "本格的に商用化段階に入った企業" in page
    response = client.post(
        "/company/stage/",
        {"stage": "middle", "reason": "", "answers": json.dumps({COMMERCIAL: True, EXIT: False})},
    )
    assert response.status_code == 302 and response["Location"] == "/checklist/"
    assert StageDecision.objects.get().stage == "middle"


@pytest.mark.django_db
def test_wizard_override_without_reason_is_shown_again_with_the_message(client_as, officer):
    response = client_as(officer).post(
        "/company/stage/",
        {"stage": "later", "reason": "", "answers": json.dumps({COMMERCIAL: False})},
    )
    assert response.status_code == 200
    assert "提案と異なるステージを選んだ理由を記入してください。" in response.content.decode()
    assert not StageDecision.objects.exists()


@pytest.mark.django_db
def test_tampered_wizard_answers_are_refused(client_as, officer):
    response = client_as(officer).post(
        "/company/stage/", {"stage": "middle", "answers": "{not json"}
    )
    assert response.status_code == 200
    assert "最初からやり直してください" in response.content.decode()
    assert not StageDecision.objects.exists()


@pytest.mark.django_db
def test_unanswered_wizard_question_is_asked_again(client_as, officer):
    client = client_as(officer)
    page = client.post("/company/stage/", {"shown": COMMERCIAL}).content.decode()
    assert "次の質問に回答してください" in page
    shown = f"{COMMERCIAL} {EXIT}"
    page = client.post("/company/stage/", {COMMERCIAL: "yes", "shown": shown}).content.decode()
    assert "次の質問に回答してください" in page and f'name="{EXIT}"' in page


@pytest.mark.django_db
def test_the_wizard_asks_the_second_question_only_when_the_first_calls_for_it(client_as, officer):
    """Issue 19: the exit question is not asked of a company not yet selling."""
    client = client_as(officer)
    first = client.get("/company/stage/").content.decode()
    assert f'name="{COMMERCIAL}"' in first and f'name="{EXIT}"' not in first
    # "No" leads straight to a stage, without the second question.
    page = client.post("/company/stage/", {COMMERCIAL: "no", "shown": COMMERCIAL})
    assert "シード～アーリー期" in page.content.decode()
    assert f'name="{EXIT}"' not in page.content.decode()
    # "Yes" brings the second question, the first answer kept, and no error.
    page = client.post("/company/stage/", {COMMERCIAL: "yes", "shown": COMMERCIAL})
    html = page.content.decode()
    assert page.status_code == 200 and f'name="{EXIT}"' in html
    assert "次の質問に回答してください" not in html
    assert re.search(rf'name="{re.escape(COMMERCIAL)}" value="yes"[^>]*checked', html)
    shown = re.search(r'name="shown" value="([^"]+)"', html).group(1)
    page = client.post("/company/stage/", {COMMERCIAL: "yes", EXIT: "yes", "shown": shown})
    assert "レイター期" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.EDITOR, Role.AUDITOR, Role.EMPLOYEE])
def test_only_the_officer_decides_the_stage(client_as, make_user, role):
    client = client_as(make_user(role))
    response = client.post("/company/stage/", {"stage": "later", "reason": "x", "answers": "{}"})
    assert response.status_code == 403
    assert not StageDecision.objects.exists()
