"""Turn what the bot sent to (the stand-in for) Slack into readable text."""

from __future__ import annotations

import copy
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.fakeslack import Call, FakeSlack
from prompts import plain, texts

INDENT = "│ "


def frames() -> Any:
    return texts("demo/transcript")


def _text(obj: Any) -> str:
    """What a person reads: mrkdwn's escapes decoded (plain_text is shown as it is)."""
    if isinstance(obj, dict):
        text = str(obj.get("text", ""))
        return plain(text) if obj.get("type") == "mrkdwn" else text
    return plain(str(obj or ""))


def _element(element: dict[str, Any]) -> str:
    kind = element.get("type")
    if kind == "button":
        return f"[{_text(element.get('text'))}]"
    if kind == "datepicker":
        return f"[📅 {element.get('initial_date') or _text(element.get('placeholder')) or '…'}]"
    if kind in ("static_select", "radio_buttons"):
        initial = element.get("initial_option")
        options = " | ".join(_text(o.get("text")) for o in element.get("options", []))
        chosen = _text(initial.get("text")) if initial else "…"
        return f"({chosen}; choices: {options})"
    if kind == "users_select":
        initial = element.get("initial_user")
        return f"[👤 <@{initial}>]" if initial else "[👤 pick someone]"
    if kind in ("plain_text_input", "rich_text_input"):
        value = element.get("initial_value")
        return f"“{value}”" if value else "____"
    if kind == "checkboxes":
        ticked = {o.get("value") for o in element.get("initial_options") or []}
        return " ".join(
            f"{'☑' if o.get('value') in ticked else '☐'} {_text(o.get('text'))}"
            for o in element.get("options", [])
        )
    return f"[{kind}]"


def block_lines(blocks: Iterable[dict[str, Any]]) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            lines.append(f"**{_text(block.get('text'))}**")
        elif kind == "section":
            if block.get("text"):
                lines.extend(_text(block["text"]).splitlines())
            for field in block.get("fields") or []:
                lines.append(f"  {_text(field)}")
            if block.get("accessory"):
                lines.append(f"  {_element(block['accessory'])}")
        elif kind == "context":
            text = "  ".join(_text(e) for e in block.get("elements", []))
            lines.extend("  " + line for line in text.splitlines() or [""])
        elif kind == "divider":
            lines.append("─" * 40)
        elif kind == "actions":
            lines.append(" ".join(_element(e) for e in block.get("elements", [])))
        elif kind == "input":
            optional = " (optional)" if block.get("optional") else ""
            label = _text(block.get("label"))
            lines.append(f"▸ {label}{optional}: {_element(block.get('element', {}))}")
            if block.get("hint"):
                lines.append(f"    {_text(block['hint'])}")
    return lines


MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


def _indented(lines: Iterable[str]) -> list[str]:
    return [INDENT + line for line in lines]


def _title(lines: list[str]) -> str:
    """The first words of a message, to name it in a one-line update."""
    first = next((line.strip("│ *") for line in lines if line.strip("│ *")), "")
    return first if len(first) <= 60 else first[:59] + "…"


def _changes(before: list[str], after: list[str]) -> list[str]:
    """The lines an update added, in order (what a reader notices changed)."""
    left = Counter(before)
    added: list[str] = []
    for line in after:
        if left[line]:
            left[line] -= 1
        elif line.strip(" │─"):
            added.append(line.strip(" │"))
    return added


def _anonymous(lines: list[str], names: list[str]) -> list[str]:
    """Lines with the people they address replaced by their place (first, second): two pairs'
    copies of one prompt read the same."""
    out = []
    for line in lines:
        for n, name in enumerate(names):
            line = line.replace(name, f"\x00{n}")
        out.append(line)
    return out


def _stripped(lines: list[str]) -> list[str]:
    return [line.strip(" │") for line in lines if line.strip(" │─")]


class Transcript:
    """Renders calls to Slack as text. `clock` gives the simulated now, for the local times
    shown beside UTC; the fake's `on_call` hook keeps each message as it was before an update,
    so an update prints as one line of what changed."""

    def __init__(self, fake: FakeSlack, clock: Callable[[], datetime] | None = None) -> None:
        self.fake = fake
        self.clock = clock
        self._seen = 0
        self._before: dict[int, dict[str, Any]] = {}
        self._posted: Counter[tuple[str, tuple[str, ...]]] = Counter()
        self._homes: dict[str, list[str]] = {}
        # a message heading: where it was shown, its lines, the people it addressed
        self._titled: dict[str, tuple[str, list[str], list[str]]] = {}
        fake.on_call = self._remember

    def _remember(self, call: Call) -> None:
        """Called by the fake before it answers: keep what an update replaces (a message, or an
        open modal)."""
        if call.method == "views.update":
            for view in self.fake.views.values():
                if view.get("id") == call.args.get("view_id"):
                    self._before[id(call)] = view
            return
        if call.method != "chat.update":
            return
        channel, ts = call.args.get("channel"), call.args.get("ts")
        for message in self.fake.messages(str(channel)):
            if message.get("ts") == ts:
                self._before[id(call)] = copy.deepcopy(message)

    def local_times(self, users: Iterable[str]) -> str:
        """'17:00 UTC: 09:00 for Ana Ruiz (Los Angeles), 17:00 for Maya Okafor (London)'."""
        if self.clock is None:
            return ""
        now = self.clock()
        parts = []
        for user in users:
            tz = (self.fake.user(user) or {}).get("tz")
            if not tz:
                continue
            local = now.astimezone(ZoneInfo(str(tz)))
            day = f" {local:%a}" if local.date() != now.date() else ""
            place = str(tz).rsplit("/", 1)[-1].replace("_", " ")
            parts.append(frames().local_time(f"{local:%H:%M}{day}", self._who(user), place))
        return frames().clock(f"{now:%H:%M}", parts) if parts else ""

    def _people(self, channel: str) -> list[str]:
        if channel.startswith(("U", "W")):
            return [channel]
        return [m for m in self.fake.members(channel) if m != self.fake.bot_user_id]

    def _who(self, user_id: str | None) -> str:
        info = self.fake.user(user_id) if user_id else None
        if not info:
            return user_id or "?"
        return str(info.get("real_name") or info.get("name"))

    def where(self, channel: str) -> str:
        info = self.fake.channel(channel) or {}
        if info.get("is_im") or info.get("is_mpim"):
            members = [m for m in self.fake.members(channel) if m != self.fake.bot_user_id]
            names = ", ".join(self._who(m) for m in members) or self._who(channel)
            return frames().dm_with(names)
        if channel.startswith("U"):
            return frames().dm_with(self._who(channel))
        return f"#{info.get('name', channel)}"

    def new_calls(self) -> list[Call]:
        calls = self.fake.calls
        fresh, self._seen = calls[self._seen :], len(calls)
        return fresh

    def render_calls(self, calls: Iterable[Call]) -> list[str]:
        out: list[str] = []
        for call in calls:
            out.extend(self.render_call(call))
        return [self.names(line) for line in out]

    def names(self, line: str) -> str:
        """Slack shows <@U123> as the person's name; so does the transcript."""
        return MENTION.sub(lambda m: "@" + self._who(m.group(1)), line)

    def warning_lines(self, view: dict[str, Any]) -> list[str]:
        """Only the fields a modal warns about, with the warning under each."""
        lines: list[str] = []
        blocks = view.get("blocks", [])
        for before, block in itertools.pairwise(blocks):
            text = " ".join(_text(e) for e in block.get("elements", []))
            if block.get("type") == "context" and text.startswith(":warning:"):
                lines += block_lines([before]) if before.get("type") == "input" else []
                lines.append(f"  {text}")
        return _indented(lines)

    def render_call(self, call: Call) -> list[str]:
        args = call.args
        f = frames()
        if call.method == "chat.postMessage":
            return self._post_lines(args)
        if call.method == "chat.update":
            return self._update_lines(call)
        if call.method == "chat.postEphemeral":
            return [f.ephemeral(self._who(args.get("user"))), *_indented([_text(args.get("text"))])]
        if call.method == "views.update" and id(call) in self._before:
            return self._view_update_lines(self._before.pop(id(call)), args)
        if call.method in ("views.open", "views.push", "views.update"):
            return self.view_lines(call.method.split(".")[1], args["view"], args)
        if call.method == "views.publish":
            return self._home_lines(args)
        return []

    def view_lines(self, verb: str, view: dict[str, Any], args: dict[str, Any]) -> list[str]:
        f = frames()
        who = self._who(args.get("user")) if args.get("user") else self._viewer(args)
        lines = [f.modal(verb, _text(view.get("title")), who)]
        lines.extend(_indented(block_lines(view.get("blocks", []))))
        lines.append(f.modal_end(_text(view.get("submit"))))
        return [self.names(line) for line in lines]

    def _view_update_lines(self, before: dict[str, Any], args: dict[str, Any]) -> list[str]:
        """A modal updated in place: only the lines that changed."""
        f = frames()
        view = args["view"]
        old = block_lines(before.get("blocks", []))
        lines = [f.modal_changed(_text(view.get("title")), self._viewer(args))]
        lines.extend(_indented(_changes(old, block_lines(view.get("blocks", [])))))
        lines.append(f.modal_end(""))
        return [self.names(line) for line in lines]

    def _post_lines(self, args: dict[str, Any]) -> list[str]:
        """A message; one already posted in the same place, word for word, is one line; one with
        the same heading as a message shown in another place shows its heading and what differs."""
        f = frames()
        channel = str(args["channel"])
        where, lines = self.where(channel), self._message_lines(args)
        when = self.local_times(self._people(channel))
        self._posted[(where, tuple(lines))] += 1
        times = self._posted[(where, tuple(lines))]
        if times > 1:
            return [f.again(where, when, times, _title(lines))]
        header = f.message(where, when).splitlines()
        title = lines[0] if lines and lines[0].strip("│ ") else ""
        names = [self._who(user) for user in self._people(channel)]
        earlier, self._titled[title] = self._titled.get(title), (where, lines, names)
        if title and earlier is not None and earlier[0] != where:
            old = _anonymous(earlier[1], earlier[2])
            new = _anonymous(lines, names)
            changed = [line for line, same in zip(lines, new, strict=True) if same not in old]
            return [*header, title, *_indented([f.as_in(earlier[0]), *_stripped(changed)])]
        return [*header, *lines]

    def _home_lines(self, args: dict[str, Any]) -> list[str]:
        """App Home in full the first time; after that, one line of what changed."""
        f = frames()
        who = str(args.get("user_id"))
        lines = _indented(block_lines(args["view"]["blocks"]))
        before, self._homes[who] = self._homes.get(who), lines
        if before is None:
            return [f.home(self._who(who)), *lines]
        return [f.home_updated(self._who(who), _changes(before, lines))]

    def _update_lines(self, call: Call) -> list[str]:
        """An update to a message shown earlier: one line of what it now says."""
        f = frames()
        where = self.where(str(call.args["channel"]))
        after = self._message_lines(call.args)
        before = self._before.pop(id(call), None)
        if before is None:
            return [f.updated(where), *after]
        old = self._message_lines(before)
        return [f.updated_line(where, _title(old), _changes(old, after))]

    def _viewer(self, args: dict[str, Any]) -> str:
        if args.get("view_id"):
            return self._who(self.fake.view_user(str(args["view_id"])))
        trigger = str(args.get("trigger_id", ""))
        return self._who(self.fake.trigger_user(trigger)) if trigger else "?"

    def _message_lines(self, args: dict[str, Any]) -> list[str]:
        blocks = args.get("blocks")
        if blocks:
            return _indented(block_lines(blocks))
        return _indented(_text(args.get("text")).splitlines())

    def ack_lines(
        self, user: str, body: dict[str, Any], view: dict[str, Any] | None = None
    ) -> list[str]:
        f = frames()
        if body.get("response_action") == "errors":
            labels = {
                b.get("block_id"): _text(b.get("label"))
                for b in (view or {}).get("blocks", [])
                if b.get("type") == "input"
            }
            errors = [
                f"{labels.get(field) or field}: {message}"
                for field, message in body["errors"].items()
            ]
            return [f.field_errors(), *_indented(errors)]
        if body.get("text"):
            return [f.ephemeral(self._who(user)), *_indented(_text(body["text"]).splitlines())]
        return []
