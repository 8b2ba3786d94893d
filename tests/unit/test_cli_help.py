"""`pdpbot --help`, `pdpbot help` and each verb's help say what it does and what it needs."""

from __future__ import annotations

import pytest

from bot.cli import SETTINGS, main
from tests.cli_support import operator_env

pytestmark = pytest.mark.usefixtures("operator_env")
__all__ = ["operator_env"]

VERBS = [verb for verb in SETTINGS if verb != "help"]


def help_of(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as exited:
        main([*argv, "--help"])
    assert exited.value.code == 0
    return capsys.readouterr().out


def test_pdpbot_help_lists_every_verb_with_what_it_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = help_of(capsys)
    assert "`" not in text
    assert "pdpbot runs the Personal Development Plan cadence of a team inside Slack." in text
    for verb, summary in {
        "serve": "production HTTP server on $PORT (POST /slack/events)",
        "socket": "Socket Mode, for a laptop: no public URL needed",
        "migrate": "bring the database schema up to date (once per release)",
        "tick": "run due work (prompts, reminders, nudges) once, then exit",
        "demo": "a sample team and a simulated quarter, offline, printed as text",
        "manifest": "print the Slack app manifest (YAML) to create the app from",
        "help": "this help, or a verb's: pdpbot help serve",
    }.items():
        assert any(line.split() == [verb, *summary.split()] for line in text.splitlines()), verb
    assert '"pdpbot help VERB" says what a verb does and which settings it needs.' in (
        " ".join(text.split())
    )


@pytest.mark.parametrize(
    ("verb", "says", "settings"),
    [
        (
            "serve",
            "Serve Slack over HTTP with waitress on $PORT",
            "needs: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET",
        ),
        ("socket", "Connect to Slack in Socket Mode", "needs: SLACK_BOT_TOKEN, SLACK_APP_TOKEN"),
        ("migrate", "Bring the database schema up to date", "reads: DATABASE_URL, LOG_LEVEL"),
        ("tick", "Run due work once", "needs: SLACK_BOT_TOKEN"),
        ("demo", "Play a sample team through a simulated quarter", "reads: DEFAULT_TZ"),
        ("manifest", "Print the Slack app manifest (YAML)", "needs no settings."),
    ],
)
def test_each_verb_says_what_it_does_and_which_variables_it_needs(
    capsys: pytest.CaptureFixture[str], verb: str, says: str, settings: str
) -> None:
    text = help_of(capsys, verb)
    assert "`" not in text
    assert says in " ".join(text.split())
    assert any(line.startswith(settings) for line in text.splitlines()), text
    assert max(len(line) for line in text.splitlines()) <= 100


@pytest.mark.parametrize("verb", ["serve", "socket", "tick"])
def test_a_verb_refuses_to_start_without_each_variable_its_help_says_it_needs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], verb: str
) -> None:
    needs = SETTINGS[verb][0]
    assert needs
    for missing in needs:
        for name in needs:
            if name != missing:
                monkeypatch.setenv(name, "xapp-1" if name == "SLACK_APP_TOKEN" else "xoxb-1")
            else:
                monkeypatch.delenv(name, raising=False)
        assert main([verb]) == 2
        assert capsys.readouterr().err.startswith(f"pdpbot: {missing} is not set: ")


def test_pdpbot_help_is_the_same_as_pdpbot_dash_dash_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    expected = help_of(capsys)
    assert main(["help"]) == 0
    assert capsys.readouterr().out == expected


@pytest.mark.parametrize("verb", VERBS)
def test_pdpbot_help_verb_is_that_verbs_help(capsys: pytest.CaptureFixture[str], verb: str) -> None:
    expected = help_of(capsys, verb)
    assert main(["help", verb]) == 0
    assert capsys.readouterr().out == expected
