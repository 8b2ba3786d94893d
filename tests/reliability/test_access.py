"""The access matrix: every listener of the Bolt app, reached by the engineer, their
manager, another manager, another engineer, a non-member and HR (tests/reliability/
access_matrix.py). Every listener asks the one policy (bot/domain/policy.py) about the acts
its entry names; refusals are one text whether or not the thing exists, come before anything
about its state, change nothing and show none of the engineer's words."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from bot.domain import policy
from bot.domain.policy import Act, Actor, Role, Subject, allows
from bot.slack.listeners import register
from tests.conftest import Bot
from tests.reliability import world
from tests.reliability.access_matrix import MATRIX, Case, Elsewhere, Own
from tests.reliability.world import (
    ENGINEER,
    MANAGER,
    MISSING,
    PRIVATE,
    ROLES,
    Seen,
    observe,
    snapshot,
)

ROOT = Path(__file__).resolve().parents[2]
CASES = [e for e in MATRIX if isinstance(e, Case)]
OWN = [e for e in MATRIX if isinstance(e, Own)]


def registered() -> set[str]:
    """`module.function` of every listener the app registers (commands, actions, views,
    events, options, shortcuts)."""
    from slack_bolt import App

    app = App(signing_secret="x", token="xoxb-x", token_verification_enabled=False)
    register(app)
    names = set()
    for listener in app._listeners:
        function = listener.ack_function
        names.add(f"{function.__module__}.{function.__qualname__}")
    return names


def test_every_registered_listener_has_an_authorization_test() -> None:
    listed = [entry.listener for entry in MATRIX]
    assert len(listed) == len(set(listed)), "a listener is listed twice"
    missing = registered() - set(listed)
    assert not missing, f"listeners with no entry in tests/reliability/access_matrix.py: {missing}"
    gone = set(listed) - registered()
    assert not gone, f"entries for listeners no longer registered: {gone}"


@pytest.mark.parametrize("entry", [e for e in MATRIX if isinstance(e, Elsewhere)], ids=str)
def test_listeners_tested_elsewhere_name_tests_that_exist(entry: Elsewhere) -> None:
    assert entry.tests, f"{entry.listener}: name the tests that prove its authorization"
    for node in entry.tests:
        path, name = node.split("::")
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        assert callable(getattr(module, name, None)), f"{node} does not exist"
        assert (ROOT / path).exists()


# world.ROLES as the policy sees them: Ana is person 1, Maya (her manager) 2, Hana in HR
POLICY_ACTORS = {
    "engineer": Actor("T", 1),
    "manager": Actor("T", 2),
    "another manager": Actor("T", 3),
    "another engineer": Actor("T", 4),
    "non-member": Actor("T", 5),
    "hr": Actor("T", 6, is_hr=True),
}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.listener.rsplit(".", 1)[-1])
def test_who_the_matrix_lets_through_is_what_the_one_policy_answers(case: Case) -> None:
    """The matrix's expectations come from bot/domain/policy.py, not from each listener."""
    assert case.acts, f"{case.listener}: name the acts it asks the policy about"
    subject = Subject("T", 1, 2, confidential=case.confidential)
    by_policy = {
        role
        for role, actor in POLICY_ACTORS.items()
        if any(allows(actor, act, subject) for act in case.acts)
    }
    assert by_policy == case.allowed


@pytest.fixture
def seeded(bot: Bot) -> Bot:
    world.seed(bot)
    return bot


class Asked(dict[Act, frozenset[Role]]):
    """The policy's RULES, noting every act a request asks about (allows() reads RULES)."""

    def __init__(self, rules: dict[Act, frozenset[Role]]) -> None:
        super().__init__(rules)
        self.acts: list[Act] = []

    def __getitem__(self, act: Act) -> frozenset[Role]:
        self.acts.append(act)
        return super().__getitem__(act)


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> Asked:
    recording = Asked(policy.RULES)
    monkeypatch.setattr(policy, "RULES", recording)
    return recording


def _refused(seen: Seen, refusal: str) -> bool:
    return refusal in seen.text


@pytest.mark.parametrize(
    "case", CASES, ids=lambda c: c.listener.rsplit(".", 2)[-2] + "." + c.listener.rsplit(".", 1)[-1]
)
def test_only_the_people_allowed_get_through_and_refusals_reveal_nothing(
    seeded: Bot, asked: Asked, case: Case
) -> None:
    bot = seeded
    target = case.prepare(bot)
    refused_roles = [role for role in ROLES if role not in case.allowed]
    for role in refused_roles:
        user = ROLES[role]
        before = snapshot(bot)
        asked.acts.clear()
        on_real = observe(bot, case.send, user, target, target.id)
        where = f"{case.listener}, pressed by the {role}"
        assert set(asked.acts) & set(case.acts), f"{where}: the policy was not asked"
        on_missing = observe(bot, case.send, user, target, MISSING)
        assert on_real.status == 200, where
        assert _refused(on_real, case.refusal), f"{where}: not refused: {on_real}"
        assert on_real == on_missing, f"{where}: the refusal tells a real id from a made-up one"
        assert not any(words in on_real.text for words in PRIVATE), where
        assert snapshot(bot) == before, f"{where}: something was stored"
    for role in case.allowed:
        asked.acts.clear()
        seen = observe(bot, case.send, ROLES[role], target, target.id)
        where = f"{case.listener}, by the {role}"
        assert set(asked.acts) & set(case.acts), f"{where}: the policy was not asked"
        assert seen.status == 200, where
        assert not _refused(seen, case.refusal), f"{where}: refused: {seen}"
        assert "reference `" not in seen.text, f"{where}: failed: {seen}"


@pytest.mark.parametrize("entry", OWN, ids=lambda e: e.listener.rsplit(".", 1)[-1])
def test_listeners_on_ones_own_records_show_nobody_else_the_engineers_plan(
    seeded: Bot, entry: Own
) -> None:
    bot = seeded
    plan_id = world.plan(bot)
    for role, user in ROLES.items():
        if user in (ENGINEER, MANAGER):  # the plan is theirs to see
            continue
        with bot.uow() as uow:
            before = uow.plans.get(plan_id).version  # type: ignore[union-attr]
        seen = observe(bot, entry.send, user, plan_id)
        where = f"{entry.listener}, by the {role}"
        assert seen.status == 200, where
        assert not any(words in seen.text for words in PRIVATE), f"{where}: {seen}"
        assert "reference `" not in seen.text, f"{where}: failed: {seen}"
        with bot.uow() as uow:
            assert uow.plans.get(plan_id).version == before, where  # type: ignore[union-attr]
