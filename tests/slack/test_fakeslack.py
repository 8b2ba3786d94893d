import http.client
import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from bot.fakeslack import FakeSlack, SlackClientSim, input_values

SECRET = "shh-signing-secret"

MODAL: dict[str, Any] = {
    "type": "modal",
    "callback_id": "goal_modal",
    "private_metadata": "plan-7",
    "title": {"type": "plain_text", "text": "New goal"},
    "submit": {"type": "plain_text", "text": "Save"},
    "blocks": [
        {
            "type": "input",
            "block_id": "goal",
            "label": {"type": "plain_text", "text": "Goal"},
            "element": {"type": "plain_text_input", "action_id": "goal_text"},
        },
        {
            "type": "input",
            "block_id": "due",
            "label": {"type": "plain_text", "text": "Due"},
            "element": {"type": "datepicker", "action_id": "due_date"},
        },
        {
            "type": "input",
            "block_id": "mentor",
            "optional": True,
            "label": {"type": "plain_text", "text": "Mentor"},
            "element": {"type": "users_select", "action_id": "mentor_user"},
        },
        {
            "type": "input",
            "block_id": "level",
            "label": {"type": "plain_text", "text": "Level"},
            "element": {
                "type": "static_select",
                "action_id": "level_pick",
                "options": [
                    {"text": {"type": "plain_text", "text": "Low"}, "value": "low"},
                    {"text": {"type": "plain_text", "text": "High"}, "value": "high"},
                ],
                "initial_option": {"text": {"type": "plain_text", "text": "Low"}, "value": "low"},
            },
        },
        {
            "type": "input",
            "block_id": "areas",
            "optional": True,
            "label": {"type": "plain_text", "text": "Areas"},
            "element": {
                "type": "checkboxes",
                "action_id": "area_boxes",
                "options": [
                    {"text": {"type": "plain_text", "text": "Craft"}, "value": "craft"},
                    {"text": {"type": "plain_text", "text": "Impact"}, "value": "impact"},
                ],
            },
        },
    ],
}


def home_view(text: str) -> dict[str, Any]:
    section = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    return {"type": "home", "blocks": [section]}


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(team_id="T0001", bot_user_id="UBOT") as server:
        server.add_user("U1", name="ana", real_name="Ana Ruiz", tz="Europe/London")
        server.add_user("U2", name="bo", real_name="Bo Chen", tz="Asia/Tokyo")
        server.add_user("U3", name="cy", tz="America/New_York")
        server.add_user("UGONE", name="gone", deleted=True)
        server.add_channel("CGEN", name="general", members=["U1", "U2", "UBOT"])
        server.add_channel("CHR", name="hr-private", is_private=True, members=["U9"])
        yield server


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-test", base_url=fake.api_url)


def api_error(call: Any, *args: Any, **kwargs: Any) -> SlackApiError:
    with pytest.raises(SlackApiError) as info:
        call(*args, **kwargs)
    return info.value


# ---------------------------------------------------------------------- Web API


def test_auth_test(client: WebClient) -> None:
    resp = client.auth_test()
    assert resp["team_id"] == "T0001"
    assert resp["user_id"] == "UBOT"
    assert resp["bot_id"].startswith("B")
    assert resp["url"].startswith("https://")


def test_users_info_known_and_unknown(fake: FakeSlack, client: WebClient) -> None:
    user = client.users_info(user="U2")["user"]
    assert user["id"] == "U2"
    assert user["team_id"] == "T0001"
    assert user["profile"]["real_name"] == "Bo Chen"
    assert user["profile"]["display_name"] == "bo"
    assert user["tz"] == "Asia/Tokyo"
    assert user["tz_offset"] == 9 * 3600
    assert user["tz_label"] == "Japan Standard Time"
    assert user["is_bot"] is False and user["deleted"] is False
    assert client.users_info(user="UGONE")["user"]["deleted"] is True
    assert client.users_info(user="UBOT")["user"]["is_bot"] is True
    err = api_error(client.users_info, user="UNOPE")
    assert err.response["error"] == "user_not_found"


def test_conversations_open_is_deterministic(fake: FakeSlack, client: WebClient) -> None:
    im = client.conversations_open(users="U1")["channel"]["id"]
    again = client.conversations_open(users=["U1"])
    assert im.startswith("D")
    assert again["channel"]["id"] == im
    assert again["already_open"] is True
    mpim = client.conversations_open(users="U2,U1")["channel"]["id"]
    assert mpim.startswith("G")
    assert client.conversations_open(users=["U1", "U2"])["channel"]["id"] == mpim
    assert client.conversations_open(users="U1,UBOT")["channel"]["id"] == im
    assert set(client.conversations_members(channel=mpim)["members"]) == {"U1", "U2", "UBOT"}
    with FakeSlack() as other:
        other_client = WebClient(token="xoxb-x", base_url=other.api_url)
        assert other_client.conversations_open(users="U1")["channel"]["id"] == im
    assert api_error(client.conversations_open, users="UGONE").response["error"] == "user_disabled"


def test_conversations_info(fake: FakeSlack, client: WebClient) -> None:
    general = client.conversations_info(channel="CGEN")["channel"]
    assert general["name"] == "general"
    assert (general["is_im"], general["is_mpim"], general["is_private"]) == (False, False, False)
    assert general["is_archived"] is False
    im = client.conversations_open(users="U1")["channel"]["id"]
    info = client.conversations_info(channel=im)["channel"]
    assert info["is_im"] is True and info["user"] == "U1"
    for hidden in ("CNOPE", "CHR"):  # a private channel the bot is not in is invisible
        err = api_error(client.conversations_info, channel=hidden)
        assert err.response["error"] == "channel_not_found"


def test_conversations_members_paginates(client: WebClient) -> None:
    first = client.conversations_members(channel="CGEN", limit=2)
    assert first["members"] == ["U1", "U2"]
    cursor = first["response_metadata"]["next_cursor"]
    rest = client.conversations_members(channel="CGEN", limit=2, cursor=cursor)
    assert rest["members"] == ["UBOT"]
    assert rest["response_metadata"]["next_cursor"] == ""


def test_post_and_update_message(fake: FakeSlack, client: WebClient) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*hi*"}}]
    first = client.chat_postMessage(channel="CGEN", text="hi", blocks=blocks)
    second = client.chat_postMessage(channel="CGEN", text="again")
    assert first["channel"] == "CGEN"
    assert float(second["ts"]) > float(first["ts"])
    assert first["message"]["text"] == "hi"
    updated = client.chat_update(channel="CGEN", ts=first["ts"], text="bye", blocks=[])
    assert updated["ts"] == first["ts"]
    messages = fake.messages("CGEN")
    assert [m["text"] for m in messages] == ["bye", "again"]
    assert messages[0]["blocks"] == [] and messages[0]["user"] == "UBOT"
    assert fake.calls_to("chat.update")[0].args["text"] == "bye"


def test_history_lists_a_channels_messages_newest_first_with_their_metadata(
    client: WebClient,
) -> None:
    meta = {"event_type": "pdpbot_prompt", "event_payload": {"key": "k1"}}
    first = client.chat_postMessage(channel="CGEN", text="one", metadata=meta)["ts"]
    second = client.chat_postMessage(channel="CGEN", text="two")["ts"]
    client.chat_postMessage(channel="CGEN", text="in a thread", thread_ts=first)
    third = client.chat_postMessage(channel="CGEN", text="three")["ts"]
    history = client.conversations_history(channel="CGEN")
    assert [m["text"] for m in history["messages"]] == ["three", "two", "one"]
    assert all("metadata" not in m for m in history["messages"])
    with_meta = client.conversations_history(channel="CGEN", include_all_metadata=True)
    assert with_meta["messages"][-1]["metadata"] == meta
    after_first = client.conversations_history(channel="CGEN", oldest=first)
    assert [m["ts"] for m in after_first["messages"]] == [third, second]
    page = client.conversations_history(channel="CGEN", latest=third, limit=1)
    assert [m["ts"] for m in page["messages"]] == [second] and page["has_more"] is True
    thread = client.conversations_replies(channel="CGEN", ts=first, include_all_metadata=True)
    assert [m["text"] for m in thread["messages"]] == ["one", "in a thread"]
    assert api_error(client.conversations_history, channel="CNOPE").response["error"] == (
        "channel_not_found"
    )


def test_post_to_user_id_lands_in_the_apps_dm(fake: FakeSlack, client: WebClient) -> None:
    resp = client.chat_postMessage(channel="U1", text="hello")
    im = client.conversations_open(users="U1")["channel"]["id"]
    assert resp["channel"] == im
    assert [m["text"] for m in fake.messages(im)] == ["hello"]


def test_post_message_errors(client: WebClient) -> None:
    with pytest.warns(UserWarning, match="text"):
        err = api_error(client.chat_postMessage, channel="CGEN")
    assert err.response["error"] == "no_text"
    err = api_error(client.chat_postMessage, channel="CNOPE", text="x")
    assert err.response["error"] == "channel_not_found"
    err = api_error(client.chat_update, channel="CGEN", ts="1.000001", text="x")
    assert err.response["error"] == "message_not_found"


def test_form_encoded_blocks_are_decoded(fake: FakeSlack, client: WebClient) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "form"}}]
    params = {"channel": "CGEN", "text": "f", "blocks": json.dumps(blocks)}
    client.api_call("chat.postMessage", params=params)  # form-encoded body
    assert fake.calls_to("chat.postMessage")[-1].args["blocks"] == blocks
    assert fake.messages("CGEN")[-1]["blocks"][0]["text"]["text"] == "form"


def test_get_query_string_is_accepted(fake: FakeSlack) -> None:
    request = urllib.request.Request(
        fake.api_url + "users.info?user=U1", headers={"Authorization": "Bearer xoxb-test"}
    )
    with urllib.request.urlopen(request) as reply:
        body = json.loads(reply.read())
    assert body["ok"] is True and body["user"]["name"] == "ana"
    assert fake.calls_to("users.info")[-1].args == {"user": "U1"}


def test_post_ephemeral(client: WebClient) -> None:
    resp = client.chat_postEphemeral(channel="CGEN", user="U1", text="psst")
    assert "." in resp["message_ts"]


def test_views_open_push_update(fake: FakeSlack, client: WebClient) -> None:
    err = api_error(client.views_open, view=MODAL)  # no trigger_id
    assert err.response["error"] == "invalid_arguments"
    trigger = fake.issue_trigger("U1")
    opened = client.views_open(trigger_id=trigger, view=MODAL)["view"]
    assert opened["id"].startswith("V") and opened["hash"]
    assert opened["callback_id"] == "goal_modal"
    assert opened["private_metadata"] == "plan-7"
    assert fake.last_view("U1") == opened
    pushed = client.views_push(trigger_id=fake.issue_trigger("U1", opened["id"]), view=MODAL)
    assert pushed["view"]["root_view_id"] == opened["id"]
    new_modal = {**MODAL, "external_id": "goal-1", "private_metadata": "v2"}
    updated = client.views_update(view_id=opened["id"], hash=opened["hash"], view=new_modal)
    assert updated["view"]["id"] == opened["id"]
    assert updated["view"]["hash"] != opened["hash"]
    by_external = client.views_update(external_id="goal-1", view=MODAL)["view"]
    assert by_external["id"] == opened["id"]
    assert fake.views[opened["id"]]["hash"] == by_external["hash"]
    assert fake.last_view()["id"] == opened["id"]  # type: ignore[index]


def test_views_update_hash_conflict(fake: FakeSlack, client: WebClient) -> None:
    opened = client.views_open(trigger_id=fake.issue_trigger("U1"), view=MODAL)["view"]
    client.views_update(view_id=opened["id"], hash=opened["hash"], view=MODAL)
    err = api_error(client.views_update, view_id=opened["id"], hash=opened["hash"], view=MODAL)
    assert err.response["error"] == "hash_conflict"
    err = api_error(client.views_update, view_id="VNOPE", view=MODAL)
    assert err.response["error"] == "not_found"


def test_views_open_validates_like_slack(fake: FakeSlack, client: WebClient) -> None:
    no_submit = {key: value for key, value in MODAL.items() if key != "submit"}
    long_title = {**MODAL, "title": {"type": "plain_text", "text": "x" * 25}}
    for bad in (no_submit, long_title, home_view("not a modal")):
        err = api_error(client.views_open, trigger_id=fake.issue_trigger("U1"), view=bad)
        assert err.response["error"] == "invalid_arguments"
        assert err.response["response_metadata"]["messages"]


def test_views_publish_home(fake: FakeSlack, client: WebClient) -> None:
    first = client.views_publish(user_id="U1", view=home_view("one"))["view"]
    second = client.views_publish(user_id="U1", view=home_view("two"))["view"]
    assert first["type"] == "home" and second["id"] == first["id"]
    assert fake.views["home:U1"]["blocks"][0]["text"]["text"] == "two"
    assert fake.last_view() is None  # home tabs are not modals


def test_unknown_method_and_auth(fake: FakeSlack, client: WebClient) -> None:
    err = api_error(client.api_call, "emoji.list")
    assert err.response["error"] == "unknown_method"
    err = api_error(WebClient(token=None, base_url=fake.api_url).auth_test)
    assert err.response["error"] == "not_authed"
    err = api_error(WebClient(token="xoxp-user", base_url=fake.api_url).auth_test)
    assert err.response["error"] == "invalid_auth"


def test_injected_error(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", error="channel_is_archived", times=2)
    for _ in range(2):
        err = api_error(client.chat_postMessage, channel="CGEN", text="x")
        assert err.response["error"] == "channel_is_archived"
        assert err.response.status_code == 200
    assert client.chat_postMessage(channel="CGEN", text="x")["ok"] is True


def test_rate_limit_is_retried(fake: FakeSlack) -> None:
    client = WebClient(token="xoxb-test", base_url=fake.api_url)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
    fake.rate_limit_next("chat.postMessage", retry_after=1)
    started = time.monotonic()
    resp = client.chat_postMessage(channel="CGEN", text="eventually")
    assert resp["ok"] is True
    assert time.monotonic() - started >= 1
    calls = fake.calls_to("chat.postMessage")
    assert len(calls) == 2 and calls[0].args == calls[1].args
    assert [m["text"] for m in fake.messages("CGEN")] == ["eventually"]


def test_rate_limit_without_handler_raises(fake: FakeSlack, client: WebClient) -> None:
    fake.rate_limit_next("users.info", retry_after=7)
    err = api_error(client.users_info, user="U1")
    assert err.response.status_code == 429
    assert err.response.headers["Retry-After"] == "7"
    assert err.response["error"] == "ratelimited"


def test_per_channel_rate_limit_refuses_a_busy_channel_only(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.limit_rate("chat.postMessage", per_second=0.001, burst=2)
    client.chat_postMessage(channel="CGEN", text="one")
    client.chat_postMessage(channel="CGEN", text="two")
    err = api_error(client.chat_postMessage, channel="CGEN", text="three")
    assert err.response.status_code == 429
    assert err.response.headers["Retry-After"] == "1000"
    assert client.chat_postMessage(channel="U1", text="elsewhere")["ok"] is True
    assert [m["text"] for m in fake.messages("CGEN")] == ["one", "two"]
    assert [c.args["text"] for c in fake.rate_limited] == ["three"]
    fake.unlimit_rate("chat.postMessage")
    assert client.chat_postMessage(channel="CGEN", text="three")["ok"] is True


def test_workspace_rate_limit_counts_every_call_to_the_method(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.limit_rate("users.info", per_second=0.01, per_channel=False)
    assert client.users_info(user="U1")["ok"] is True
    err = api_error(client.users_info, user="U2")
    assert (err.response.status_code, err.response.headers["Retry-After"]) == (429, "100")
    assert client.auth_test()["ok"] is True


def test_connections_are_kept_alive(fake: FakeSlack) -> None:
    connection = http.client.HTTPConnection(urlsplit(fake.api_url).netloc, timeout=5)
    for _ in range(2):
        connection.request("POST", "/api/auth.test", headers={"Authorization": "Bearer xoxb-t"})
        reply = connection.getresponse()
        assert (reply.status, json.loads(reply.read())["ok"]) == (200, True)
        assert reply.getheader("Connection") != "close"
    assert connection.sock is not None
    connection.close()


def test_server_error(fake: FakeSlack, client: WebClient) -> None:
    fake.server_error_next("auth.test", status=503)
    assert api_error(client.auth_test).response.status_code == 503
    assert client.auth_test()["ok"] is True


def test_response_url_records_posts(fake: FakeSlack) -> None:
    WebhookClient(fake.response_url("r1")).send(text="done", response_type="ephemeral")
    assert fake.responses == [{"text": "done", "response_type": "ephemeral"}]
    assert fake.responses_to("r1") == fake.responses
    fake.clear()
    assert fake.calls == [] and fake.responses == []


def test_response_url_replace_original(fake: FakeSlack, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="CGEN", text="pending")["ts"]
    url = fake.response_url("act", channel="CGEN", message_ts=ts)
    WebhookClient(url).send(text="approved", replace_original=True)
    assert [m["text"] for m in fake.messages("CGEN")] == ["approved"]


# ---------------------------------------------------------------------- input_values


def test_input_values_shapes() -> None:
    answers = {"goal": "Ship it", "due_date": "2025-03-01", "mentor": "U2", "areas": ["craft"]}
    values = input_values(MODAL, answers)
    assert values["goal"]["goal_text"] == {"type": "plain_text_input", "value": "Ship it"}
    assert values["due"]["due_date"] == {"type": "datepicker", "selected_date": "2025-03-01"}
    assert values["mentor"]["mentor_user"] == {"type": "users_select", "selected_user": "U2"}
    level = values["level"]["level_pick"]  # unanswered: the initial option, as Slack sends
    initial = MODAL["blocks"][3]["element"]["initial_option"]
    assert level == {"type": "static_select", "selected_option": initial}
    areas = values["areas"]["area_boxes"]
    assert areas["type"] == "checkboxes"
    assert [o["value"] for o in areas["selected_options"]] == ["craft"]
    assert areas["selected_options"][0]["text"]["text"] == "Craft"


def test_input_values_unanswered_and_errors() -> None:
    values = input_values(MODAL, {"level": "high"})
    assert values["goal"]["goal_text"]["value"] is None
    assert values["due"]["due_date"]["selected_date"] is None
    assert values["mentor"]["mentor_user"]["selected_user"] is None
    assert values["areas"]["area_boxes"]["selected_options"] == []
    assert values["level"]["level_pick"]["selected_option"]["value"] == "high"
    with pytest.raises(ValueError):
        input_values(MODAL, {"level": "medium"})
    with pytest.raises(KeyError):
        input_values(MODAL, {"no_such_block": "x"})


# ---------------------------------------------------------------------- SlackClientSim


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def build_app(fake: FakeSlack, seen: list[dict[str, Any]]) -> App:
    app = App(
        signing_secret=SECRET,
        client=WebClient(base_url=fake.api_url, token="xoxb-test"),
        token_verification_enabled=False,
        process_before_response=True,
    )

    @app.command("/pdp")
    def pdp(ack: Any, body: dict[str, Any], respond: Any, client: WebClient) -> None:
        ack(f"Working on `{body['text']}`")
        respond("Started your plan")
        client.views_open(trigger_id=body["trigger_id"], view=MODAL)

    @app.view("goal_modal")
    def save(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        seen.append(body)
        goal = view["state"]["values"]["goal"]["goal_text"]["value"]
        if not goal:
            ack(response_action="errors", errors={"goal": "Required"})
        elif goal == "next step":
            ack(response_action="update", view={**MODAL, "private_metadata": "step-2"})
        else:
            ack()

    @app.view_closed("goal_modal")
    def closed(ack: Any, body: dict[str, Any]) -> None:
        ack()
        seen.append(body)

    @app.action("due_date")
    def picked(ack: Any, body: dict[str, Any]) -> None:
        ack()
        seen.append(body)

    @app.action("approve")
    def approve(ack: Any, body: dict[str, Any], respond: Any) -> None:
        ack()
        seen.append(body)
        respond(replace_original=True, text="Approved")

    @app.event("app_home_opened")
    def home(event: dict[str, Any], client: WebClient) -> None:
        client.views_publish(user_id=event["user"], view=home_view("Welcome"))

    return app


@pytest.fixture
def seen() -> list[dict[str, Any]]:
    return []


@pytest.fixture
def sim(fake: FakeSlack, seen: list[dict[str, Any]]) -> Iterator[SlackClientSim]:
    handler = SlackRequestHandler(build_app(fake, seen))
    server: WSGIServer = make_server("127.0.0.1", 0, handler, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield SlackClientSim(f"http://127.0.0.1:{server.server_port}", SECRET, fake=fake)
    finally:
        server.shutdown()
        server.server_close()


def test_command_round_trip(fake: FakeSlack, sim: SlackClientSim) -> None:
    resp = sim.command("/pdp", "start", user="U1")
    assert resp.status == 200
    assert resp.text == "Working on `start`"
    assert fake.responses == [{"text": "Started your plan"}]
    assert fake.last_view("U1")["callback_id"] == "goal_modal"  # type: ignore[index]
    assert [c.method for c in fake.calls] == ["auth.test", "views.open"]


def test_view_submission(fake: FakeSlack, sim: SlackClientSim, seen: list[dict[str, Any]]) -> None:
    sim.command("/pdp", "", user="U1")
    view = fake.last_view("U1")
    assert view is not None
    resp = sim.view_submission("U1", view, input_values(view, {"goal": ""}))
    assert resp.json() == {"response_action": "errors", "errors": {"goal": "Required"}}
    resp = sim.view_submission("U1", view, input_values(view, {"goal": "Lead a project"}))
    assert resp.status == 200 and resp.json() == {}
    submitted = seen[-1]["view"]
    assert submitted["id"] == view["id"] and submitted["private_metadata"] == "plan-7"
    assert submitted["state"]["values"]["goal"]["goal_text"]["value"] == "Lead a project"
    assert seen[-1]["user"]["name"] == "ana"


def test_block_action_on_message(
    fake: FakeSlack, sim: SlackClientSim, client: WebClient, seen: list[dict[str, Any]]
) -> None:
    text = {"type": "plain_text", "text": "Approve"}
    button = {"type": "button", "action_id": "approve", "value": "plan-7", "text": text}
    blocks = [{"type": "actions", "block_id": "acts", "elements": [button]}]
    posted = client.chat_postMessage(channel="CGEN", text="Approve?", blocks=blocks)
    resp = sim.block_action("U1", "approve", message=posted["message"])
    assert resp.status == 200
    action = seen[-1]["actions"][0]
    assert (action["type"], action["value"], action["block_id"]) == ("button", "plan-7", "acts")
    assert seen[-1]["container"]["channel_id"] == "CGEN"
    assert [m["text"] for m in fake.messages("CGEN")] == ["Approved"]


def test_event_publishes_home(fake: FakeSlack, sim: SlackClientSim) -> None:
    resp = sim.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"})
    assert resp.status == 200
    assert fake.views["home:U1"]["blocks"][0]["text"]["text"] == "Welcome"


def test_bad_signature_is_rejected(fake: FakeSlack, sim: SlackClientSim) -> None:
    body = b"command=%2Fpdp&text=x&user_id=U1&team_id=T0001"
    resp = sim.post(body, "application/x-www-form-urlencoded", signature="v0=" + "0" * 64)
    assert resp.status == 401
    assert fake.calls_to("views.open") == []


def test_stale_timestamp_is_rejected(sim: SlackClientSim) -> None:
    body = b"command=%2Fpdp&text=x&user_id=U1&team_id=T0001"
    stale = int(time.time()) - 6 * 60
    resp = sim.post(body, "application/x-www-form-urlencoded", timestamp=stale)
    assert resp.status == 401


def test_view_submission_update_is_applied(fake: FakeSlack, sim: SlackClientSim) -> None:
    sim.command("/pdp", "", user="U1")
    view = fake.last_view("U1")
    assert view is not None
    resp = sim.view_submission("U1", view, input_values(view, {"goal": "next step"}))
    assert resp.json()["response_action"] == "update"
    updated = fake.last_view("U1")
    assert updated is not None
    assert updated["id"] == view["id"] and updated["private_metadata"] == "step-2"
    assert updated["hash"] != view["hash"]


def test_block_action_in_view_and_view_closed(
    fake: FakeSlack, sim: SlackClientSim, seen: list[dict[str, Any]]
) -> None:
    sim.command("/pdp", "", user="U2")
    view = fake.last_view("U2")
    assert view is not None
    assert sim.block_action("U2", "due_date", view=view, selected_date="2025-06-30").status == 200
    body = seen[-1]
    assert body["container"] == {"type": "view", "view_id": view["id"]}
    assert body["view"]["callback_id"] == "goal_modal"
    assert body["actions"][0]["type"] == "datepicker"
    assert body["actions"][0]["selected_date"] == "2025-06-30"
    assert body["actions"][0]["block_id"] == "due"
    assert sim.view_closed("U2", view).status == 200
    assert seen[-1]["type"] == "view_closed" and seen[-1]["view"]["id"] == view["id"]
