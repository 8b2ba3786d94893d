"""A stand-in for Slack's Socket Mode endpoint: the WebSocket that `apps.connections.open`
hands out. It says hello, answers pings, delivers envelopes and records their acks."""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import struct
import threading
import uuid
from typing import Any

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA


def _frame(opcode: int, payload: bytes) -> bytes:
    """A server frame: final, unmasked."""
    size = len(payload)
    if size < 126:
        header = struct.pack("!BB", 0x80 | opcode, size)
    elif size < 1 << 16:
        header = struct.pack("!BBH", 0x80 | opcode, 126, size)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 127, size)
    return header + payload


def _read_exact(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def _read_frame(conn: socket.socket) -> tuple[int, bytes]:
    first, second = _read_exact(conn, 2)
    size = second & 0x7F
    if size == 126:
        (size,) = struct.unpack("!H", _read_exact(conn, 2))
    elif size == 127:
        (size,) = struct.unpack("!Q", _read_exact(conn, 8))
    mask = _read_exact(conn, 4) if second & 0x80 else b"\0\0\0\0"
    payload = bytes(b ^ mask[i % 4] for i, b in enumerate(_read_exact(conn, size)))
    return first & 0x0F, payload


class SocketModeStandIn:
    def __init__(self, app_id: str = "A0PDPBOT") -> None:
        self.app_id = app_id
        self.acks: list[dict[str, Any]] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._clients: list[socket.socket] = []
        self._lock = threading.Lock()
        self._acked = threading.Condition(self._lock)
        self._thread = threading.Thread(target=self._accept, daemon=True, name="fake-socket")

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._listener.getsockname()[1]}/link/?ticket=fake"

    def start(self) -> SocketModeStandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._listener.close()
        with self._lock:
            for conn in self._clients:
                conn.close()

    @property
    def connections(self) -> int:
        with self._lock:
            return len(self._clients)

    def send(self, kind: str, payload: dict[str, Any], timeout: float = 10) -> dict[str, Any]:
        """Deliver an envelope (`events_api`, `slash_commands`, `interactive`) to the newest
        connection and wait for the app's ack; returns the ack."""
        envelope_id = str(uuid.uuid4())
        message = {"envelope_id": envelope_id, "type": kind, "payload": payload}
        with self._lock:
            self._clients[-1].sendall(_frame(TEXT, json.dumps(message).encode()))
            found = self._acked.wait_for(
                lambda: any(a.get("envelope_id") == envelope_id for a in self.acks), timeout
            )
            if not found:
                raise TimeoutError(f"no ack for {kind}")
            return next(a for a in self.acks if a.get("envelope_id") == envelope_id)

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            self._handshake(conn)
            with self._lock:
                self._clients.append(conn)
            hello = {
                "type": "hello",
                "num_connections": 1,
                "connection_info": {"app_id": self.app_id},
            }
            conn.sendall(_frame(TEXT, json.dumps(hello).encode()))
            while True:
                opcode, payload = _read_frame(conn)
                if opcode == PING:
                    conn.sendall(_frame(PONG, payload))
                elif opcode == CLOSE:
                    conn.sendall(_frame(CLOSE, payload[:2]))
                    return
                elif opcode == TEXT:
                    with self._lock:
                        self.acks.append(json.loads(payload))
                        self._acked.notify_all()
        except (OSError, ConnectionError, ValueError):
            return
        finally:
            with self._lock:
                if conn in self._clients:
                    self._clients.remove(conn)
            conn.close()

    @staticmethod
    def _handshake(conn: socket.socket) -> None:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = conn.recv(4096)
            if not chunk:
                raise ConnectionError("closed during handshake")
            request += chunk
        headers = dict(
            line.split(":", 1) for line in request.decode().split("\r\n")[1:] if ":" in line
        )
        key = {k.strip().lower(): v.strip() for k, v in headers.items()}["sec-websocket-key"]
        accept = base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()
        conn.sendall(
            (
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
            ).encode()
        )
