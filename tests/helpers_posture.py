"""Shared by the posture, actions and posture-UI tests: the app on the demo."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.query.times import utc_stamp
from tests.helpers_app import demo_app


def make_app(
    demo: DemoServer, allow_actions: bool = False, first_view: str = "posture"
) -> AwsirApp:
    """The real app on the demo account, read-only unless ``allow_actions``."""
    return demo_app(demo, allow_actions, first_view=first_view, case="case-ui")


def notifications(app: AwsirApp) -> list[str]:
    """Every notification the app has shown (Textual keeps them on the app)."""
    return [note.message for note in app._notifications]


@contextlib.contextmanager
def trail_stopped(demo: DemoServer) -> Iterator[str]:
    """The demo's multi-region trail stopped as an attacker would (StopLogging), for a
    ``with`` block; yields when it stopped as AWS says it (``2026-12-01T07:29:01Z``).
    The trail logs again after: the demo account is shared by the process's tests."""
    cloudtrail = demo.client("cloudtrail", "us-east-1")  # the trail's home region
    name = demo.facts.trail_name
    cloudtrail.stop_logging(Name=name)
    try:
        stopped = cloudtrail.get_trail_status(Name=name)["StopLoggingTime"]
        assert isinstance(stopped, datetime)
        yield utc_stamp(stopped)
    finally:
        cloudtrail.start_logging(Name=name)


def run_script(script: Path, folder: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a yanked or printed script with ``aws`` on the PATH being a stand-in that
    writes down its arguments (nothing reaches AWS)."""
    fake = folder / "bin" / "aws"
    fake.parent.mkdir(exist_ok=True)
    fake.write_text(f'#!/bin/sh\necho "$*" >> {folder / "aws-calls"}\n')
    fake.chmod(0o755)
    path = f"{fake.parent}:{os.environ['PATH']}"
    return subprocess.run(
        ["sh", str(script)],
        capture_output=True,
        text=True,
        timeout=30,
        env={"PATH": path, **env},
        check=False,
    )
