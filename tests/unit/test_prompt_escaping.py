"""The template layer escapes every value it prints for Slack mrkdwn, and only those."""

from __future__ import annotations

from datetime import date

import pytest

import prompts
from prompts import plain, render, texts

TYPED = "Keep p99 <200ms & errors >1% <!channel> <@UOTHER> <#C1|general> <https://x.example|y>"


def test_a_value_is_escaped_so_slack_parses_no_token_in_it() -> None:
    text = render("help", unknown=TYPED)
    assert "&lt;!channel&gt;" in text and "&lt;@UOTHER&gt;" in text
    assert "<!channel>" not in text and "<@UOTHER>" not in text
    assert "p99 &lt;200ms &amp; errors &gt;1%" in text


def test_the_templates_own_mentions_stay_mentions() -> None:
    text = render("errors/no_plan_to_review", who="UANA")
    assert text.startswith("<@UANA> has no open development plan")


def test_quotes_and_apostrophes_are_not_turned_into_entities_slack_would_show() -> None:
    text = texts("views/plan").manager_comment('Don\'t say "never"')
    assert text == '💬 Don\'t say "never"'


def test_a_typed_entity_is_escaped_too_so_it_reads_as_typed() -> None:
    text = texts("views/plan").manager_comment("&#39; and &lt;")
    assert text == "💬 &amp;#39; and &amp;lt;"
    assert plain(text) == "💬 &#39; and &lt;"


def test_a_macros_output_printed_by_another_macro_is_not_escaped_twice() -> None:
    t = texts("cadence/messages")
    title = t.title("progress_check", 4, 1, False)
    nudge = t.nudge(title, date(2027, 1, 25), ["A & B"])
    assert "“Week 4: progress check”" in nudge and "A &amp; B" in nudge
    assert "&amp;amp;" not in nudge


def test_plain_undoes_the_escaping_exactly_once() -> None:
    assert plain(render("help", unknown=TYPED)).endswith(f"I didn't recognise `{TYPED}`.")


@pytest.mark.parametrize("name", ["cli_db_unreachable"])
def test_terminal_texts_are_printed_as_they_are(name: str) -> None:
    text = render(name, url="postgresql://u@h/db?a=1&b=<2>", reason="it's down")
    assert "?a=1&b=<2>" in text and "it's down" in text


def test_only_the_texts_for_a_terminal_are_not_escaped() -> None:
    names = {str(p.relative_to(prompts.HERE)) for p in prompts.HERE.rglob("*.j2")}
    autoescape = prompts.environment().autoescape
    assert callable(autoescape)
    assert {n for n in names if not autoescape(n)} == {
        "cli.j2",
        "cli_db_unreachable.j2",
        "cli_help.j2",
        "cli_hr.j2",
        "cli_roster.j2",
        "cli_doctor.j2",
        "cli_no_credentials.j2",
        "manifest.yaml.j2",
        "demo/story.j2",
        "demo/roster.j2",
        "demo/transcript.j2",
        "formal/pip_record.md.j2",  # a file HR keeps, not Slack text
        "formal/words.j2",
    }
