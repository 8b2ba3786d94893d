"""Who may do what to a PIP, cell by cell: the engineer, their manager, another manager,
another engineer, an HR member (of the private HR channel) and a non-member, against view,
open, acknowledge, agree, checkpoint and close."""

from __future__ import annotations

import pytest

from bot.domain.policy import Act, Actor, Subject, allows

TEAM = "T1"
ENGINEER, MANAGER, OTHER_MANAGER, OTHER_ENGINEER, HR_MEMBER, NON_MEMBER = 1, 2, 3, 4, 5, 6
PIP = Subject(TEAM, ENGINEER, MANAGER, confidential=True, escalated=True)
WHO = {
    "engineer": ENGINEER,
    "manager": MANAGER,
    "other manager": OTHER_MANAGER,
    "other engineer": OTHER_ENGINEER,
    "hr member": HR_MEMBER,
    "non-member": NON_MEMBER,
}
MATRIX = {
    Act.VIEW_PIP: {"engineer", "manager", "hr member"},
    Act.OPEN_PIP: {"manager"},
    Act.ACKNOWLEDGE_PIP: {"hr member"},
    Act.AGREE_PIP: {"engineer"},
    Act.CHECKPOINT_PIP: {"manager"},
    Act.CLOSE_PIP: {"manager"},
}


@pytest.mark.parametrize("act", list(MATRIX))
@pytest.mark.parametrize("who", list(WHO))
def test_each_cell_of_the_pip_matrix(act: Act, who: str) -> None:
    actor = Actor(TEAM, WHO[who], is_hr=who == "hr member")

    assert allows(actor, act, PIP) == (who in MATRIX[act])


def test_an_engineer_in_the_hr_channel_still_cannot_act_as_hr_on_their_own_pip() -> None:
    engineer_in_hr = Actor(TEAM, ENGINEER, is_hr=True)

    assert not allows(engineer_in_hr, Act.ACKNOWLEDGE_PIP, PIP)
    assert allows(engineer_in_hr, Act.AGREE_PIP, PIP)


def test_another_team_deactivated_accounts_and_bots_get_nothing() -> None:
    for actor in (
        Actor("T2", MANAGER),
        Actor(TEAM, MANAGER, is_deleted=True),
        Actor(TEAM, MANAGER, is_bot=True),
    ):
        assert not any(allows(actor, act, PIP) for act in MATRIX)
