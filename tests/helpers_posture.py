"""Shared by the posture, actions and posture-UI tests: the app on the demo."""

from __future__ import annotations

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from tests.helpers_app import demo_app


def make_app(
    demo: DemoServer, allow_actions: bool = False, first_view: str = "posture"
) -> AwsirApp:
    """The real app on the demo account, read-only unless ``allow_actions``."""
    return demo_app(demo, allow_actions, first_view=first_view, case="case-ui")


def notifications(app: AwsirApp) -> list[str]:
    """Every notification the app has shown (Textual keeps them on the app)."""
    return [note.message for note in app._notifications]
