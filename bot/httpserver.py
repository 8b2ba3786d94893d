"""Serve a WSGI app on loopback in a background thread (tests and the offline demo)."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Any

from waitress.server import create_server


class LocalServer:
    def __init__(self, wsgi_app: Any, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server: Any = create_server(wsgi_app, host=host, port=port, threads=4)
        self._thread = threading.Thread(target=self._serve, daemon=True, name="pdpbot-http")
        self._stopping = threading.Event()

    def _serve(self) -> None:
        try:
            self._server.run()
        except (OSError, ValueError):
            if not self._stopping.is_set():  # closing the socket under the loop is expected
                raise

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.effective_port}"

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
