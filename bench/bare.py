"""The yardstick: a bare Bolt app on pdpbot's stack (waitress, Bolt's WSGI adapter,
process_before_response=True) that acknowledges and opens a static modal, or publishes a
static App Home. `python -m bench.bare` serves it on $PORT against $SLACK_API_URL."""

from __future__ import annotations

import os
from typing import Any

import waitress
from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

MODAL = {
    "type": "modal",
    "title": {"type": "plain_text", "text": "Bare"},
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "A static modal."}}],
}
HOME = {
    "type": "home",
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "A static home."}}],
}


def create_app(token: str, signing_secret: str, api_url: str) -> App:
    app = App(
        client=WebClient(token=token, base_url=api_url),
        signing_secret=signing_secret,
        token_verification_enabled=False,
        process_before_response=True,
    )

    def open_modal(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=MODAL)

    def publish_home(event: dict[str, Any], client: WebClient) -> None:
        client.views_publish(user_id=event["user"], view=HOME)

    app.command("/pdp")(open_modal)
    app.command("/pdp-review")(open_modal)
    app.event("app_home_opened")(publish_home)
    return app


def main() -> None:
    app = create_app(
        os.environ["SLACK_BOT_TOKEN"],
        os.environ["SLACK_SIGNING_SECRET"],
        os.environ["SLACK_API_URL"],
    )
    handler = SlackRequestHandler(app, path="/slack/events")
    port = int(os.environ["PORT"])
    waitress.serve(handler, host="127.0.0.1", port=port, threads=8, _quiet=True)


if __name__ == "__main__":
    main()
