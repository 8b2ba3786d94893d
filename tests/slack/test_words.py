"""Words: each thing is named one way, and no message shows a raw value (issue 7, "Words").

The lifecycle runs through signed requests; every text the bot sent is then read as a person
reads it."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

from bot.slack.ids import Action
from tests.conftest import Bot
from tests.reliability.slack_text import sent_texts, shown
from tests.slack.cadence_helpers import posted, tick
from tests.slack.helpers import (
    GOOD_COMMITMENTS,
    GOOD_DRAFT,
    dm_messages,
    open_pdp,
    pair_messages,
    press,
    submit,
    text_of_view,
)

UTC = timezone.utc
WEEKDAY_DATE = re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b,?(?: \S+){1,3}")
ONE_FORMAT = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [1-9]\d? (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    r" \d{4}"
)
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _agree(bot: Bot) -> int:
    open_pdp(bot, "UANA")
    activity = {**GOOD_DRAFT, "goal1_outcome": "Complete the AWS Solutions Architect course"}
    submit(bot, "UANA", activity)  # a warning naming the target date
    assert "Maya Okafor will get your draft" in submit(bot, "UANA", activity).text
    press(bot, "UMAYA", Action.OPEN_MANAGER_MODAL, message=dm_messages(bot, "UMAYA")[-1])
    assert "Ana Ruiz will get it" in submit(bot, "UMAYA", GOOD_COMMITMENTS).text
    press(bot, "UANA", Action.OPEN_CONFIRM_MODAL, message=dm_messages(bot, "UANA")[-1])
    assert "Your plan is active" in submit(bot, "UANA").text
    with bot.uow() as uow:
        plan = uow.plans.current_for(uow.people.get("T0001", "UANA"))  # type: ignore[arg-type]
        assert plan is not None
        return plan.id


def test_every_date_in_a_sentence_reads_mon_4_jan_2027(bot: Bot) -> None:
    plan_id = _agree(bot)
    open_pdp(bot, "UANA")  # the plan, with its next review
    tick(bot, datetime(2027, 1, 4, 18, 0, tzinfo=UTC))
    tick(bot, datetime(2027, 1, 25, 17, 0, tzinfo=UTC))
    week4 = posted(bot, f"plan:{plan_id}:progress_check:1")
    press(bot, "UANA", Action.OPEN_RESCHEDULE, message=week4)
    tick(bot, datetime(2027, 1, 28, 17, 0, tzinfo=UTC))  # the nudge
    tick(bot, datetime(2027, 2, 1, 11, 0, tzinfo=UTC))  # a commitment reminder
    bot.slack.command("/pdp-review", "<@UANA|ana>", user="UMAYA")
    for user in ("UANA", "UMAYA"):
        bot.slack.event({"type": "app_home_opened", "user": user, "tab": "home"})
    bot.slack.block_action("UANA", Action.OPEN_REFLECTION, json.dumps({"plan_id": plan_id}))
    texts = [shown(kind, text) for _, kind, text in sent_texts(bot.fake)]
    found = [m.group(0) for text in texts for m in WEEKDAY_DATE.finditer(text)]
    assert len(found) > 20  # the prompts, the nudge, the reminder, App Home, the refusal
    assert [d for d in found if not ONE_FORMAT.match(d)] == []
    assert [t for t in texts if ISO_DATE.search(t)] == []
    assert any("The end-of-period reflection opens on Mon 22 Mar 2027" in t for t in texts)


def test_the_engineers_views_head_the_commitments_with_the_managers_name(bot: Bot) -> None:
    open_pdp(bot, "UANA")
    submit(bot, "UANA", GOOD_DRAFT)
    press(bot, "UMAYA", Action.OPEN_MANAGER_MODAL, message=dm_messages(bot, "UMAYA")[-1])
    assert "**What I commit to doing**" in text_of_view(bot.fake.last_view("UMAYA") or {})
    submit(bot, "UMAYA", GOOD_COMMITMENTS)
    press(bot, "UANA", Action.OPEN_CONFIRM_MODAL, message=dm_messages(bot, "UANA")[-1])
    confirm = text_of_view(bot.fake.last_view("UANA") or {})
    assert "**What Maya Okafor commits to doing**" in confirm
    assert "What I commit" not in confirm
    submit(bot, "UANA")
    plan = text_of_view(open_pdp(bot, "UANA"))
    assert "**What Maya Okafor commits to doing**" in plan and "What I commit" not in plan


def test_a_button_on_an_older_message_says_in_words_where_the_plan_is(bot: Bot) -> None:
    _agree(bot)
    request = dm_messages(bot, "UMAYA")[0]  # "Add my commitments", pressed after agreement
    press(bot, "UMAYA", Action.OPEN_MANAGER_MODAL, message=request)
    said = [c.args["text"] for c in bot.fake.calls_to("chat.postEphemeral")]
    said += [c.args["text"] for c in bot.fake.calls_to("chat.postMessage")][-1:]
    told = next(t for t in said if "moved on" in t)
    assert "it is agreed and running now" in told
    assert "(active)" not in told and "_" not in told


def test_help_names_the_four_conversations_and_who_confirms(bot: Bot) -> None:
    help_text = bot.slack.command("/pdp", "help", user="UANA").json()["text"]
    assert "you confirm" in help_text and "you both confirm" not in help_text
    assert (
        "goal setting in week 1 (as soon as your draft goes to your manager), progress checks in"
        " weeks 4 and 8, the reflection in week 12" in help_text
    )
    assert "(ten minutes)" in help_text


def test_a_check_in_takes_ten_minutes_in_its_prompt_its_nudge_and_the_review(bot: Bot) -> None:
    plan_id = _agree(bot)
    tick(bot, datetime(2027, 1, 4, 18, 0, tzinfo=UTC))
    tick(bot, datetime(2027, 1, 25, 17, 0, tzinfo=UTC))
    tick(bot, datetime(2027, 1, 28, 17, 0, tzinfo=UTC))
    prompt, nudge = pair_messages(bot, "UANA", "UMAYA")[-2:]
    assert posted(bot, f"plan:{plan_id}:progress_check:1")["ts"] == prompt["ts"]
    assert "(ten minutes)" in json.dumps(prompt["blocks"], ensure_ascii=False)
    assert "It takes ten minutes" in nudge["text"]
    bot.slack.command("/pdp-review", "<@UANA|ana>", user="UMAYA")
    assert "Ten minutes with Ana Ruiz" in text_of_view(bot.fake.last_view("UMAYA") or {})
    every = " ".join(shown(k, t) for _, k, t in sent_texts(bot.fake))
    assert "five minutes" not in every and "5-10" not in every and "five to ten" not in every


def test_the_12_to_18_months_question_asks_about_12_to_18_months(bot: Bot) -> None:
    draft = text_of_view(open_pdp(bot, "UANA"))
    line = next(
        i for i, line in enumerate(draft.splitlines()) if "12-18 months?" in line and "▸" in line
    )
    hint = draft.splitlines()[line + 1]
    assert "12-18 months" in hint and "three years" not in hint
