"""Shared fixtures: one demo account per test process, reached over real HTTP.

Fake credentials and empty AWS config files are forced before any test runs, so no
test can ever read a developer's real profile or call real AWS.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.config import Config

from awsir_tui.demo.scenario import Facts
from awsir_tui.demo.server import DemoServer

_AWS_VARIABLES_TO_DROP = (
    "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
)


def pytest_configure(config: pytest.Config) -> None:
    """Point every AWS SDK in this process at fake credentials and empty config files."""
    home = Path(tempfile.mkdtemp(prefix="awsir-test-aws-"))
    config.add_cleanup(lambda: shutil.rmtree(home, ignore_errors=True))  # one per run
    for name in ("config", "credentials"):
        (home / name).write_text("")
    for name in _AWS_VARIABLES_TO_DROP:
        os.environ.pop(name, None)
    os.environ.update({
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(home / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
    })


@pytest.fixture(autouse=True)
def private_xdg(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's cases, exports, caches and key map go to a folder of its own: never
    the developer's, and never another test's (a case named in one test kept the notes
    of the last run). A test may point them elsewhere with its own monkeypatch."""
    home = tmp_path_factory.mktemp("xdg")
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))


@pytest.fixture(scope="session")
def demo() -> Iterator[DemoServer]:
    """The demo account (LookupEvents paced at AWS's 2 requests/s per region)."""
    with DemoServer() as server:
        yield server


@pytest.fixture(scope="session")
def demo_facts(demo: DemoServer) -> Facts:
    """The incident's facts (proxy instance, attacker key and IP, malicious instance...)."""
    return demo.facts


@pytest.fixture
def demo_client(demo: DemoServer) -> Callable[..., Any]:
    """``demo_client(service, region=None, retries=None)``: a boto3 client for the demo.

    ``retries`` is botocore's retry dict (e.g. ``{"mode": "standard", "max_attempts": 1}``
    to see throttling errors raw); by default standard mode with 3 attempts.
    """

    def make(service: str, region: str | None = None,
             retries: dict[str, Any] | None = None) -> Any:
        config = Config(retries=retries) if retries is not None else None  # type: ignore[arg-type]
        return demo.client(service, region, config)

    return make


@contextlib.contextmanager
def machine_zone(monkeypatch: pytest.MonkeyPatch, zone: str) -> Iterator[None]:
    """This machine's time zone is ``zone`` (an IANA name) for a ``with`` block; only
    TZ is put back after it (the test's other patches stay), and the zone read again
    even when the block fails, or the next tests of the worker ran in this one."""
    with monkeypatch.context() as patch:
        patch.setenv("TZ", zone)
        time.tzset()
        try:
            yield
        finally:
            patch.undo()
            time.tzset()


@pytest.fixture
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This machine's zone is Berlin's (+0100 in winter, +0200 in summer)."""
    with machine_zone(monkeypatch, "Europe/Berlin"):
        yield


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This machine's zone is New York's (-05 in winter, -04 in summer)."""
    with machine_zone(monkeypatch, "America/New_York"):
        yield
