"""Helpers for the EC2 explorer's tests: a context on the demo account, and a proxy
that makes chosen regions slow, throttled or cut off (over real HTTP)."""

from __future__ import annotations

import http.client
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from awsir_tui.aws.context import AwsContext, AwsTarget
from awsir_tui.demo.server import DemoServer

_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([a-z0-9-]+)/")
_THROTTLED = (
    b'<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error>'
    b"<Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message>"
    b"</Error></Errors><RequestID>test</RequestID></Response>"
)


def demo_context(demo: DemoServer, endpoint_url: str | None = None) -> AwsContext:
    """A fresh context (own clients, own guard journal) on every demo region."""
    return AwsContext(
        AwsTarget(
            regions=tuple(demo.regions),
            endpoint_url=endpoint_url or demo.endpoint_url,
            static_credentials=("testing", "testing"),
        )
    )


class RegionTrouble:
    """A loopback proxy in front of the demo: some regions slow, throttled or dropped.

    The region is read from each request's SigV4 scope, as AWS routes it.
    """

    def __init__(
        self,
        target: str,
        slow: dict[str, float] | None = None,
        throttled: frozenset[str] = frozenset(),
        dropped: frozenset[str] = frozenset(),
    ) -> None:
        parts = urlsplit(target)
        upstream_host, upstream_port = parts.hostname or "127.0.0.1", parts.port or 80
        delays = slow or {}

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                """Quiet."""

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                found = _SCOPE.search(self.headers.get("Authorization", ""))
                region = found.group(1) if found else ""
                if region in dropped:
                    self.close_connection = True
                    self.connection.close()  # no answer at all: a cut link
                    return
                if region in throttled:
                    self._answer(503, "Service Unavailable", _THROTTLED, "text/xml")
                    return
                time.sleep(delays.get(region, 0.0))
                upstream = http.client.HTTPConnection(upstream_host, upstream_port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                upstream.request("POST", self.path, body=body, headers=headers)
                answer = upstream.getresponse()
                payload = answer.read()
                upstream.close()
                self._answer(answer.status, answer.reason, payload,
                             answer.getheader("Content-Type") or "text/xml")

            def _answer(self, status: int, reason: str, payload: bytes, kind: str) -> None:
                self.send_response(status, reason)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> RegionTrouble:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
