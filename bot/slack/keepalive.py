"""slack_sdk's WebClient on kept-alive connections.

The sync `WebClient` sends every call through `urllib.request.urlopen`, which opens a new TCP
connection (and TLS handshake) and asks for `Connection: close`; slack_sdk has no option for a
session or pool (only `AsyncWebClient`, over aiohttp, keeps connections). So this client sends
the request slack_sdk built through a urllib3 pool instead, at the one place slack_sdk performs
the HTTP call, and answers exactly as urlopen would: an HTTPError for a status of 400 or more
(slack_sdk reads 429s and their Retry-After from it), a URLError when no connection could be
made, and the socket's own error when one broke. slack_sdk's retry handlers, its parsing and
its proxy support (with `proxy` set, its own urlopen path is used) are untouched.
"""

from __future__ import annotations

import io
from http.client import HTTPMessage
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.request import Request

import urllib3
from slack_sdk import WebClient
from urllib3.exceptions import ProtocolError, ReadTimeoutError

# Connections kept per host: a few more than the threads that call Slack at once (waitress's,
# the after-response worker's, the tick's).
POOL_SIZE = 16


class KeepAliveWebClient(WebClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pool = urllib3.PoolManager(
            num_pools=4, maxsize=POOL_SIZE, ssl_context=self.ssl, retries=False
        )

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        if self.proxy or not url.lower().startswith("http"):
            return super()._perform_urllib_http_request_internal(url, req)
        try:
            reply = self._pool.request(
                req.get_method(),
                url,
                body=req.data,  # type: ignore[arg-type]
                headers=dict(req.header_items()),
                timeout=self.timeout,
                redirect=False,
            )
        except ReadTimeoutError as exc:  # as urlopen: the socket's timeout, not retried
            raise TimeoutError(str(exc)) from exc
        except ProtocolError as exc:  # the connection broke: reset, or closed mid-answer
            cause = exc.args[1] if len(exc.args) > 1 else None
            raise (cause if isinstance(cause, OSError) else ConnectionResetError(str(exc))) from exc
        except urllib3.exceptions.HTTPError as exc:  # no connection: refused, DNS, TLS
            raise URLError(getattr(exc, "reason", None) or exc) from exc
        headers = HTTPMessage()
        for name, value in reply.headers.items():
            headers[name] = value
        if reply.status >= 400:
            raise HTTPError(url, reply.status, reply.reason or "", headers, io.BytesIO(reply.data))
        if headers.get_content_type() == "application/gzip":
            return {"status": reply.status, "headers": headers, "body": reply.data}
        charset = headers.get_content_charset() or "utf-8"
        return {"status": reply.status, "headers": headers, "body": reply.data.decode(charset)}
