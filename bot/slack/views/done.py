from __future__ import annotations

from slack_sdk.models.views import View

from bot.slack.views.common import section
from prompts import plain, texts


def build_done_view(text: str) -> View:
    t = texts("views/done")
    return View(
        type="modal", title=plain(t.title()), close=plain(t.close()), blocks=[section(text)]
    )
