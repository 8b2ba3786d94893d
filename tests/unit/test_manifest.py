"""`pdpbot manifest --url`: the request URL Slack will post to, or one line saying why not."""

from __future__ import annotations

import pytest
import yaml

from bot.cli import main
from tests.cli_support import operator_env

pytestmark = pytest.mark.usefixtures("operator_env")
__all__ = ["operator_env"]


def urls_in(manifest: str) -> set[str]:
    data = yaml.safe_load(manifest)
    settings = data["settings"]
    found = {
        settings["interactivity"]["request_url"],
        settings["event_subscriptions"]["request_url"],
        *(c["url"] for c in data["features"]["slash_commands"]),
    }
    return found


@pytest.mark.parametrize(
    ("given", "request_url"),
    [
        ("https://pdp.example.com", "https://pdp.example.com/slack/events"),
        ("https://pdp.example.com/", "https://pdp.example.com/slack/events"),
        ("https://PDP.Example.com", "https://pdp.example.com/slack/events"),
        ("https://pdp.example.com/slack/events", "https://pdp.example.com/slack/events"),
        ("https://pdp.example.com/slack/events/", "https://pdp.example.com/slack/events"),
        ("https://example.com/pdpbot", "https://example.com/pdpbot/slack/events"),
        ("https://pdp.example.com:8443", "https://pdp.example.com:8443/slack/events"),
    ],
)
def test_manifest_normalises_the_url_to_one_slack_events_path(
    capsys: pytest.CaptureFixture[str], given: str, request_url: str
) -> None:
    assert main(["manifest", "--url", given]) == 0
    assert urls_in(capsys.readouterr().out) == {request_url}


@pytest.mark.parametrize(
    ("given", "line"),
    [
        (
            "pdp.example.com",
            '--url "pdp.example.com" has no scheme: write https://pdp.example.com',
        ),
        (
            "http://pdp.example.com/",
            '--url "http://pdp.example.com/" is not HTTPS, and Slack posts only to https:// '
            "addresses: write https://pdp.example.com",
        ),
        (
            "",
            "--url is empty: give the public HTTPS address Slack will post to, such as "
            "https://pdpbot.example.com, or leave --url out for Socket Mode",
        ),
        (
            "https://",
            '--url "https://" has no valid host name: write it like https://pdpbot.example.com',
        ),
        (
            "https://pdp.example.com/?team=1",
            '--url "https://pdp.example.com/?team=1" has a query, fragment or user name: give '
            "only the address, like https://pdpbot.example.com",
        ),
    ],
)
def test_manifest_refuses_a_url_slack_cannot_post_to_in_one_line(
    capsys: pytest.CaptureFixture[str], given: str, line: str
) -> None:
    assert main(["manifest", "--url", given]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"pdpbot: {line}\n"


def test_manifest_without_a_url_is_for_socket_mode(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["manifest"]) == 0
    data = yaml.safe_load(capsys.readouterr().out)
    assert data["settings"]["socket_mode_enabled"] is True
