"""The cadence health chart: a PNG of the expected size (matplotlib's Agg backend), uploaded
with files_upload_v2 through the fake Slack into the thread of HR's digest, once."""

from __future__ import annotations

import struct
from datetime import date

from bot.services.health_chart import ChartPoster, render_png
from storage.hr_models import HrDigest
from storage.models import Prompt
from tests.conftest import Bot
from tests.integration.test_health import seed

PNG = b"\x89PNG\r\n\x1a\n"


def size_of(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG)
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
    return width, height


def test_the_chart_is_a_png_of_800_by_450() -> None:
    png = render_png(
        {"Data": {"2026Q4": 50, "2027Q1": 0}, "Platform": {"2026Q4": None, "2027Q1": 67}},
        ["2026Q3", "2026Q4", "2027Q1"],
    )
    assert len(png) > 5_000 and size_of(png) == (800, 450)
    assert size_of(render_png({}, ["2027Q1"])) == (800, 450)  # no team yet: still a chart


def posted_digest(bot: Bot) -> Prompt:
    """HR's digest of Monday 1 March 2027, posted in the HR channel."""
    ts = bot.runtime.gateway.post("CHR", "HR digest")
    with bot.uow() as uow:
        uow.session.add(
            HrDigest(
                team_id="T0001",
                on=date(2027, 3, 1),
                channel="CHR",
                form="digest",
                items=[],
                created_at=bot.clock.now,
            )
        )
        top = Prompt(
            team_id="T0001",
            key="hr_digest:T0001:2027-03-01",
            kind="hr_digest",
            occurrence=1,
            planned_on=date(2027, 3, 1),
            due_at=bot.clock.now,
            status="sent",
            attempts=1,
            channel="CHR",
            ts=ts,
            sent_at=bot.clock.now,
            created_at=bot.clock.now,
        )
        uow.session.add(top)
        uow.commit()
        uow.session.expunge(top)
        return top


def test_the_chart_is_uploaded_into_the_digests_thread_with_the_figures_once(bot: Bot) -> None:
    with bot.uow() as uow:
        seed(uow)
    bot.clock.now = bot.clock.now.replace(year=2027, month=3, day=1, hour=10)
    top = posted_digest(bot)
    poster = ChartPoster(bot.uow, bot.runtime.gateway, bot.runtime.settings)
    assert poster.post_pending(bot.clock.now) == [top.key]
    (shared,) = bot.fake.files()  # one chart for the one digest
    assert shared.channel == "CHR" and shared.filename == "cadence-health-2027Q1.png"
    assert shared.data is not None and size_of(shared.data) == (800, 450)
    assert [c.method for c in bot.fake.calls if c.method.startswith("files.")] == [
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    ]
    reply = next(m for m in bot.fake.messages("CHR") if m.get("files"))
    assert reply["thread_ts"] == top.ts
    assert "*Platform*: reviews on time 67% (2 of 3)" in reply["text"]
    assert "*Data*: reviews on time 0% (0 of 2)" in reply["text"]
    assert "PIP support fully delivered 100% (1 of 1)" in reply["text"]
    assert poster.post_pending(bot.clock.now) == []  # once per digest
    assert len(bot.fake.files()) == 1


def test_a_failed_upload_is_recorded_and_the_digest_stays(bot: Bot) -> None:
    with bot.uow() as uow:
        seed(uow)
    top = posted_digest(bot)
    bot.fake.fail_next("files.getUploadURLExternal", "not_allowed_token_type")
    poster = ChartPoster(bot.uow, bot.runtime.gateway, bot.runtime.settings)
    assert poster.post_pending(bot.clock.now.replace(year=2027, month=3, day=1)) == []
    with bot.uow() as uow:
        row = uow.session.query(Prompt).filter_by(key=f"{top.key}:chart").one()
        assert (row.status, row.error) == ("failed", "not_allowed_token_type")
    assert bot.fake.files() == []


def test_without_a_roster_there_is_no_chart(bot: Bot) -> None:
    posted_digest(bot)
    poster = ChartPoster(bot.uow, bot.runtime.gateway, bot.runtime.settings)
    assert poster.post_pending(bot.clock.now.replace(year=2027, month=3, day=1)) == []
    assert bot.fake.files() == []
