"""The embedded demo account: moto's server plus LookupEvents, on a free loopback port.

``DemoServer`` is what ``--demo``, ``awsir-tui demo-server`` and the test suite start.
Clients reach it over real HTTP with fake credentials, so the app's whole boto3 path
(signing, retries, pagination, error parsing) runs as it would against AWS.

moto keeps its state in module globals, so one process holds one demo account: the
first server to start seeds it, and any later ``DemoServer`` in the same process serves
the same account (with its own port, pacing and denied regions). That keeps a test
session to one seeding while still letting a test open a server that denies a region.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TextIO

from botocore.config import Config
from moto.core import DEFAULT_ACCOUNT_ID
from moto.moto_api._internal.models import moto_api_backend
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import BaseWSGIServer, make_server

from awsir_tui.demo.clients import FAKE_CREDENTIALS, demo_client
from awsir_tui.demo.gateway import Gateway, WsgiApp
from awsir_tui.demo.lookup import EventHistory
from awsir_tui.demo.scenario import Facts, Seeded, seed
from awsir_tui.demo.throttle import RegionThrottle

#: LookupEvents calls per second per region, as AWS documents it.
DEFAULT_LOOKUP_RATE = 2.0


class _QuietHandler(MotoRequestHandler):
    """moto's request handler without a log line per request (the TUI owns the terminal)."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        """Say nothing: requests are the normal case."""

    def log_message(self, format: str, *args: Any) -> None:
        """Say nothing: werkzeug would write to stderr under the TUI."""


def _serve(app: WsgiApp, host: str, port: int) -> tuple[BaseWSGIServer, threading.Thread]:
    """Serve ``app`` from a daemon thread; returns the server (for its port) and the thread."""
    # werkzeug adds its own stderr handler on the first error it logs unless its logger
    # already has one; under the TUI that would paint tracebacks over the screen. A
    # NullHandler stops that while records still propagate to whatever the app configured.
    werkzeug_log = logging.getLogger("werkzeug")
    if not werkzeug_log.handlers:
        werkzeug_log.addHandler(logging.NullHandler())
    server = make_server(host, port, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name=f"demo-{server.port}",
                              daemon=True)
    thread.start()
    return server, thread


@dataclass(frozen=True)
class _Account:
    """The one seeded demo account of this process."""

    moto_app: WsgiApp
    seeded: Seeded
    history: EventHistory
    seed_seconds: float


_ACCOUNT: _Account | None = None
_ACCOUNT_LOCK = threading.Lock()


def _account(seed_time: datetime | None) -> _Account:
    """Seed the process's demo account on first use (through a private, plain moto port)."""
    global _ACCOUNT
    with _ACCOUNT_LOCK:
        if _ACCOUNT is None:
            began = time.perf_counter()
            # The fleet runs Bob's own images; moto's thousands of public AMIs would cost
            # seconds per region to load and are never used.
            os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
            moto_app = DomainDispatcherApplication(create_backend_app)
            server, thread = _serve(moto_app, "127.0.0.1", 0)
            try:
                seeded = seed(f"http://127.0.0.1:{server.port}", DEFAULT_ACCOUNT_ID, seed_time)
            except BaseException:
                # Half a seeding would make the next attempt collide with its leftovers.
                moto_api_backend.reset()
                raise
            finally:
                server.shutdown()
                thread.join()
                server.server_close()
            # Event history holds management events only; data events live in the archive.
            history = EventHistory(r for r in seeded.records if r.get("managementEvent", True))
            _ACCOUNT = _Account(moto_app, seeded, history, time.perf_counter() - began)
        return _ACCOUNT


class DemoServer:
    """The demo account on ``127.0.0.1``; use as a context manager or ``start``/``stop``."""

    def __init__(
        self,
        port: int | None = None,
        *,
        host: str = "127.0.0.1",
        lookup_rate: float | None = DEFAULT_LOOKUP_RATE,
        denied_regions: Iterable[str] = (),
        seed_time: datetime | None = None,
    ) -> None:
        """``seed_time`` anchors the story (default: now); only the server that seeds the
        process's account uses it, e.g. to render screenshots with stable times."""
        self.host = host
        self.seed_time = seed_time
        self.port = port or 0
        self.lookup_rate = lookup_rate
        #: Regions where EC2 and CloudTrail answer "access denied"; may change while running.
        self.denied_regions: set[str] = set(denied_regions)
        #: (region, EC2 action) pairs refused, the region's other calls answered.
        self.denied_calls: set[tuple[str, str]] = set()
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._account: _Account | None = None

    # -- lifecycle -------------------------------------------------------------------
    def start(self) -> DemoServer:
        """Seed the account if this process has not yet, then listen; returns ``self``."""
        if self._server is not None:
            return self
        self._account = _account(self.seed_time)
        gateway = Gateway(self._account.moto_app, self._account.history,
                          RegionThrottle(self.lookup_rate), self.denied_regions,
                          self.account_id, self.denied_calls)
        self._server, self._thread = _serve(gateway, self.host, self.port)
        self.port = self._server.port
        return self

    def stop(self) -> None:
        """Stop listening (the seeded account stays, for the next server of this process)."""
        if self._server is None:
            return
        self._server.shutdown()
        if self._thread is not None:
            self._thread.join()
        self._server.server_close()
        self._server = self._thread = None

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what clients need -----------------------------------------------------------
    @property
    def endpoint_url(self) -> str:
        """``http://127.0.0.1:PORT``: pass as ``endpoint_url`` to every client."""
        if self._server is None:
            raise RuntimeError("DemoServer is not started")
        return f"http://{self.host}:{self.port}"

    @property
    def account_id(self) -> str:
        """The demo account's ID (moto's default account)."""
        return DEFAULT_ACCOUNT_ID

    @property
    def regions(self) -> tuple[str, ...]:
        """The regions the story uses (others exist but are empty)."""
        return self.facts.regions

    @property
    def facts(self) -> Facts:
        """The incident's facts: proxy, attacker key, group, IP, malicious instance..."""
        return self._seeded().facts

    @property
    def records(self) -> tuple[dict[str, Any], ...]:
        """Every CloudTrail record (background and attack; management and S3 data events).

        Unordered. LookupEvents serves the management events of the last 90 days; the S3
        archive holds all of them.
        """
        return self._seeded().records

    @property
    def archive_keys(self) -> tuple[str, ...]:
        """The S3 keys of the CloudTrail log files in ``facts.trail_bucket``."""
        return self._seeded().archive_keys

    @property
    def seed_seconds(self) -> float:
        """How long seeding took in this process (for the bench and the report)."""
        if self._account is None:
            raise RuntimeError("DemoServer is not started")
        return self._account.seed_seconds

    def client(self, service: str, region: str | None = None, config: Config | None = None
               ) -> Any:
        """A boto3 client for this server with fake credentials (default region: the first)."""
        return demo_client(self.endpoint_url, service, region or self.regions[0], config)

    @contextlib.contextmanager
    def denying(self, *regions: str) -> Iterator[None]:
        """Deny EC2 and CloudTrail in ``regions`` for the duration of a ``with`` block."""
        added = set(regions) - self.denied_regions
        self.denied_regions.update(added)
        try:
            yield
        finally:
            self.denied_regions.difference_update(added)

    @contextlib.contextmanager
    def denying_call(self, region: str, action: str) -> Iterator[None]:
        """Deny the EC2 ``action`` (``DescribeImages``) in ``region`` alone for the
        duration of a ``with`` block: one read of a view fails, its others answer."""
        added = (region, action) not in self.denied_calls
        self.denied_calls.add((region, action))
        try:
            yield
        finally:
            if added:
                self.denied_calls.discard((region, action))

    def _seeded(self) -> Seeded:
        if self._account is None:
            raise RuntimeError("DemoServer is not started")
        return self._account.seeded


def environment(server: DemoServer) -> dict[str, str]:
    """Environment variables that point an AWS SDK or the AWS CLI at ``server``."""
    return {
        "AWS_ACCESS_KEY_ID": FAKE_CREDENTIALS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": FAKE_CREDENTIALS["aws_secret_access_key"],
        "AWS_SESSION_TOKEN": FAKE_CREDENTIALS["aws_session_token"],
        "AWS_DEFAULT_REGION": server.regions[0],
        "AWS_ENDPOINT_URL": server.endpoint_url,
    }


def run_forever(port: int | None, out: TextIO, seed_time: datetime | None = None) -> None:
    """``awsir-tui demo-server``: serve the demo account until interrupted (Ctrl+C)."""
    with DemoServer(port, seed_time=seed_time) as server:
        facts = server.facts
        out.write(f"Demo account {server.account_id} at {server.endpoint_url} "
                  f"(seeded in {server.seed_seconds:.1f}s)\n")
        out.write(f"Regions: {', '.join(server.regions)}\n")
        out.write("Use it with:\n")
        for name, value in environment(server).items():
            out.write(f"  export {name}={value}\n")
        out.write(f"Incident: instance role of {facts.proxy_instance_id} "
                  f"({facts.proxy_region}) used from {facts.attacker_ip} with key "
                  f"{facts.attacker_access_key_id}; it launched {facts.malicious_instance_id}\n")
        out.write("Press Ctrl+C to stop.\n")
        out.flush()
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
