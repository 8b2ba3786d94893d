from __future__ import annotations

import json
import time
import urllib.request
from urllib.parse import urlencode

from bot.slack.listeners import SLASH_COMMANDS
from bot.slack.manifest import BOT_SCOPES, manifest
from storage.models import Person
from tests.conftest import Bot


def test_pdp_help_answers_with_an_ephemeral_help_text(bot: Bot) -> None:
    response = bot.slack.command("/pdp", "help", user="UANA")
    assert response.status == 200
    body = response.json()
    assert body["response_type"] == "ephemeral"
    assert "/pdp-review" in body["text"]
    assert "didn't recognise" not in body["text"]


def test_an_unknown_sub_command_says_so_and_shows_help(bot: Bot) -> None:
    body = bot.slack.command("/pdp", "frobnicate now", user="UANA").json()
    assert "I didn't recognise `frobnicate now`" in body["text"]
    assert "/pdp help" in body["text"]


def test_a_bad_signature_is_refused_and_changes_nothing(bot: Bot) -> None:
    body = urlencode({"command": "/pdp", "text": "", "user_id": "UANA", "team_id": "T0001"})
    response = bot.slack.post(body.encode(), "application/x-www-form-urlencoded", signature="v0=00")
    assert response.status == 401
    _assert_nothing_happened(bot)


def test_a_request_older_than_five_minutes_is_refused(bot: Bot) -> None:
    body = urlencode({"command": "/pdp", "text": "", "user_id": "UANA", "team_id": "T0001"})
    stale = int(time.time()) - 6 * 60
    response = bot.slack.post(body.encode(), "application/x-www-form-urlencoded", timestamp=stale)
    assert response.status == 401
    _assert_nothing_happened(bot)


def _assert_nothing_happened(bot: Bot) -> None:
    assert bot.fake.calls == []
    with bot.uow() as uow:
        assert uow.session.query(Person).count() == 0


def test_healthz_answers_when_the_database_does(bot: Bot) -> None:
    with urllib.request.urlopen(bot.url + "/healthz", timeout=5) as reply:
        assert reply.status == 200


def test_every_manifest_command_reaches_a_listener(bot: Bot) -> None:
    declared = {c["command"] for c in manifest("https://x.example")["features"]["slash_commands"]}
    assert declared == set(SLASH_COMMANDS)
    for command in declared:
        response = bot.slack.command(command, "help", user="UMAYA")
        assert response.status == 200, command  # Bolt answers 404 to a command nobody handles


def test_the_manifest_points_every_request_url_at_slack_events() -> None:
    data = manifest("https://pdp.example.com/")
    url = "https://pdp.example.com/slack/events"
    assert data["settings"]["event_subscriptions"]["request_url"] == url
    assert data["settings"]["interactivity"]["request_url"] == url
    assert {c["url"] for c in data["features"]["slash_commands"]} == {url}
    assert data["oauth_config"]["scopes"]["bot"] == list(BOT_SCOPES)
    assert data["settings"]["socket_mode_enabled"] is False


def test_without_a_url_the_manifest_is_for_socket_mode() -> None:
    data = manifest()
    assert data["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in data["settings"]["interactivity"]


def test_the_readme_justifies_every_scope() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for scope in BOT_SCOPES:
        assert f"| `{scope}` |" in readme, scope


def test_responses_are_json_slack_can_read(bot: Bot) -> None:
    response = bot.slack.command("/pdp", "help", user="UANA")
    assert json.loads(response.text)["text"]


def test_a_request_about_an_unknown_user_gets_a_clear_message_and_writes_nothing(bot: Bot) -> None:
    body = bot.slack.command("/pdp-review", "<@UNOBODY|nobody>", user="UMAYA").json()
    assert body["response_type"] == "ephemeral"
    assert "couldn't find that Slack user" in body["text"]
    with bot.uow() as uow:
        assert uow.session.query(Person).filter_by(slack_user_id="UNOBODY").count() == 0


def test_healthz_answers_503_when_the_database_does_not() -> None:
    import urllib.error

    from bot.app import create_wsgi
    from bot.httpserver import LocalServer
    from storage.db import make_engine

    engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    with LocalServer(create_wsgi(None, engine)) as server:  # type: ignore[arg-type]
        try:
            urllib.request.urlopen(server.url + "/healthz", timeout=5)
        except urllib.error.HTTPError as err:
            assert err.code == 503
        else:
            raise AssertionError("healthz answered 200 without a database")
    engine.dispose()
