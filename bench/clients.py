"""Load for an app served over HTTP: signed requests, built as Slack builds them, sent by N
concurrent clients on kept-alive connections, each timed to its answer and to the Web API
call (views.open / views.publish) it caused at the fake Slack."""

from __future__ import annotations

import http.client
import itertools
import os
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import urlsplit

from bot.fakeslack import Call, FakeSlack, Response, SlackClientSim


@dataclass(frozen=True)
class Prepared:
    body: bytes
    headers: dict[str, str]
    key: str  # the trigger_id (views.open) or user id (views.publish) the request leads to


@dataclass(frozen=True)
class Sample:
    total: float  # seconds from sending the request to its whole answer
    to_call: float | None  # seconds from sending it to the Web API call reaching the fake
    ok: bool


class _Preparing(SlackClientSim):
    """SlackClientSim that signs and keeps a request instead of sending it."""

    last: tuple[bytes, dict[str, str]]

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        stamp = str(int(time.time()))
        sent = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": self._verifier.generate_signature(timestamp=stamp, body=body)
            or "",
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
            **(headers or {}),
        }
        self.last = (body, sent)
        return Response(200, Message(), "")


class Requests:
    def __init__(self, fake: FakeSlack, secret: str, team_id: str) -> None:
        self._sim = _Preparing("http://unused/slack/events", secret, team_id, fake)

    def command(self, command: str, user: str, text: str = "") -> Prepared:
        self._sim.command(command, text, user=user)
        body, headers = self._sim.last
        trigger = dict(item.split("=", 1) for item in body.decode().split("&"))["trigger_id"]
        return Prepared(body, headers, _unquote(trigger))

    def home_opened(self, user: str) -> Prepared:
        self._sim.event(
            {"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home"}
        )
        body, headers = self._sim.last
        return Prepared(body, headers, user)


def _unquote(value: str) -> str:
    from urllib.parse import unquote_plus

    return unquote_plus(value)


class Arrivals:
    """When each views.open / views.publish reached the fake Slack, by trigger_id or user."""

    def __init__(self, fake: FakeSlack) -> None:
        self._at: dict[str, float] = {}
        self._lock = threading.Lock()
        fake.on_call = self._seen

    def _seen(self, call: Call) -> None:
        key = call.args.get("trigger_id") or call.args.get("user_id")
        if call.method in ("views.open", "views.publish") and key:
            with self._lock:
                self._at[str(key)] = time.perf_counter()

    def take(self, key: str) -> float | None:
        with self._lock:
            return self._at.pop(key, None)


class Load:
    """Sends batches of prepared requests to one app with `clients` concurrent connections."""

    def __init__(self, url: str, arrivals: Arrivals) -> None:
        parts = urlsplit(url)
        self._host, self._port = parts.hostname or "127.0.0.1", parts.port or 80
        self._arrivals = arrivals
        self._connections: dict[int, http.client.HTTPConnection] = {}

    def _connection(self, client: int) -> http.client.HTTPConnection:
        if client not in self._connections:
            self._connections[client] = http.client.HTTPConnection(
                self._host, self._port, timeout=60
            )
        return self._connections[client]

    def _send(self, client: int, request: Prepared) -> Sample:
        connection = self._connection(client)
        started = time.perf_counter()
        try:
            connection.request("POST", "/slack/events", request.body, request.headers)
            reply = connection.getresponse()
            reply.read()
            ok = reply.status == 200
        except (OSError, http.client.HTTPException):
            connection.close()
            ok = False
        done = time.perf_counter()
        called = self._arrivals.take(request.key)
        return Sample(done - started, None if called is None else called - started, ok)

    def run(self, requests: Sequence[Prepared], clients: int) -> list[Sample]:
        samples: list[Sample] = []
        lock = threading.Lock()
        queue = iter(requests)

        def work(client: int) -> None:
            while True:
                with lock:
                    request = next(queue, None)
                if request is None:
                    return
                sample = self._send(client, request)
                with lock:
                    samples.append(sample)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return samples

    def close(self) -> None:
        for connection in self._connections.values():
            connection.close()


# ---------------------------------------------------------------------- served processes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    """An app in a process of its own (as in production), serving on loopback."""

    def __init__(self, name: str, command: list[str], env: dict[str, str]) -> None:
        self.name = name
        self.port = free_port()
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop)
        # (a pipe nobody reads would fill up and block the process)
        self.process = subprocess.Popen(
            command,
            env={**os.environ, **env, "PORT": str(self.port)},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        self._wait()

    def _wait(self) -> None:
        for _ in range(300):
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.output()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not start listening")

    def memory(self) -> tuple[float, float]:
        """(resident now, peak resident) in MB, from the kernel's accounting."""
        status = _proc_status(self.process.pid)
        return status.get("VmRSS", 0) / 1024, status.get("VmHWM", 0) / 1024

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._output = self.output()
        self.log.close()

    def output(self) -> str:
        """What the process printed (its log)."""
        if self.log.closed:
            return self._output
        self.log.seek(0)
        return self.log.read().decode(errors="replace")


def _proc_status(pid: int) -> dict[str, int]:
    values: dict[str, int] = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, rest = line.partition(":")
            if rest.strip().endswith("kB"):
                values[name] = int(rest.split()[0])
    return values


def round_robin(items: Sequence[Any]) -> Callable[[], Any]:
    cycle = itertools.cycle(items)
    return lambda: next(cycle)
