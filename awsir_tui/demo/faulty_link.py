"""A loopback proxy in front of the demo account that makes the network misbehave.

Tests need regions that are slow, throttled or cut off; the inventory benchmark needs a
far-away endpoint (a fixed latency on every request). Both are the same thing, a proxy
that reads each request's region from its SigV4 scope (as AWS routes it) and decides
what that region's link does, so there is one of it.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from awsir_tui.demo.gateway import signed_scope

#: What EC2 answers when it throttles (XML, as its query protocol does).
THROTTLED_BODY = (
    b'<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error>'
    b"<Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message>"
    b"</Error></Errors><RequestID>demo</RequestID></Response>"
)
_HOP_BY_HOP = frozenset({"transfer-encoding", "connection", "content-length"})


class FaultyLink:
    """Forward to ``target`` after ``latency`` s (plus ``slow[region]``); some regions are
    answered as throttled (503 RequestLimitExceeded) or dropped (no answer at all)."""

    def __init__(
        self,
        target: str,
        latency: float = 0.0,
        slow: Mapping[str, float] | None = None,
        throttled: frozenset[str] = frozenset(),
        dropped: frozenset[str] = frozenset(),
    ) -> None:
        parts = urlsplit(target)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        delays = dict(slow or {})
        #: Requests that reached the proxy (for figures: calls per inventory load).
        self.requests = 0
        link = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: a line per request would drown test output and figures."""

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                link.requests += 1
                region, _service = signed_scope(
                    {"HTTP_AUTHORIZATION": self.headers.get("Authorization", "")}
                )
                if region in dropped:
                    self.close_connection = True
                    self.connection.close()  # a cut link: no answer at all
                    return
                if region in throttled:
                    self._answer(503, "Service Unavailable", THROTTLED_BODY,
                                 [("Content-Type", "text/xml")])
                    return
                time.sleep(latency + delays.get(region, 0.0))
                upstream = http.client.HTTPConnection(host, port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                upstream.request(self.command, self.path, body=body, headers=headers)
                answer = upstream.getresponse()
                payload = answer.read()
                upstream.close()
                self._answer(answer.status, answer.reason, payload, answer.getheaders())

            def _answer(self, status: int, reason: str, payload: bytes,
                        headers: list[tuple[str, str]]) -> None:
                self.send_response(status, reason)
                for key, value in headers:
                    if key.lower() not in _HOP_BY_HOP:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_HEAD = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FaultyLink:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
