"""Shared by the posture, actions and posture-UI tests: contexts and apps on the demo."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from awsir_tui.app import AwsirApp
from awsir_tui.aws.context import AwsContext, AwsTarget
from awsir_tui.cli import Options


def demo_context(demo: Any, allow_actions: bool = False) -> AwsContext:
    """A context on the demo's endpoint, built like ``awsir_tui.cli.connect`` does."""
    return AwsContext(
        AwsTarget(
            regions=tuple(demo.regions),
            endpoint_url=demo.endpoint_url,
            allow_actions=allow_actions,
            static_credentials=("testing", "testing"),
        )
    )


def make_app(demo: Any, allow_actions: bool = False, first_view: str = "posture") -> AwsirApp:
    """The real app on the demo account, read-only unless ``allow_actions``."""
    options = Options(demo=True, allow_actions=allow_actions, case="case-ui")
    return AwsirApp(options, demo_context(demo, allow_actions), first_view=first_view)


async def wait_for(
    pilot: Any, condition: Callable[[], object], what: str, tries: int = 300
) -> None:
    """Let the app work until ``condition()`` holds (bounded by a count, not a clock)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"never happened: {what}")


def notifications(app: AwsirApp) -> list[str]:
    """Every notification the app has shown (Textual keeps them on the app)."""
    return [note.message for note in app._notifications]
