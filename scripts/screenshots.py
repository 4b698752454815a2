"""Render an SVG screenshot of each view from the demo account into screenshots/.

Run: .venv/bin/python scripts/screenshots.py   (about a minute; no AWS, no network)

Each shot drives the real app with key presses at 80x24, the size the tool is built
for, so the README shows what a responder sees over SSH.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from awsir_tui.app import AwsirApp  # noqa: E402
from awsir_tui.aws.context import AwsContext, AwsTarget  # noqa: E402
from awsir_tui.cli import Options  # noqa: E402
from awsir_tui.demo.server import DemoServer  # noqa: E402
from awsir_tui.ui.base import View  # noqa: E402
from awsir_tui.ui.dialogs import Confirm  # noqa: E402
from awsir_tui.ui.evidence import EvidenceView  # noqa: E402

OUT = ROOT / "screenshots"
Step = Callable[[Pilot[int], AwsirApp, DemoServer], Awaitable[None]]


async def until(pilot: Pilot[int], condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the view did not settle")
        await pilot.pause(0.1)


async def view(pilot: Pilot[int], app: AwsirApp, name: str) -> None:
    await pilot.press("colon")
    await pilot.pause(0.3)
    await pilot.press(*name, "enter")
    await pilot.pause(0.5)


async def filtered(pilot: Pilot[int], app: AwsirApp, text: str) -> None:
    await pilot.press("slash")
    await pilot.pause(0.2)
    await pilot.press(*text, "enter")


async def instances(pilot: Pilot[int], app: AwsirApp, demo: DemoServer) -> None:
    await until(pilot, lambda: getattr(app.screen, "loaded", False))


async def instance(pilot: Pilot[int], app: AwsirApp, demo: DemoServer) -> None:
    await instances(pilot, app, demo)
    await filtered(pilot, app, f"key:={demo.facts.attacker_key_name}")
    await pilot.pause(0.5)
    await pilot.press("enter")
    await pilot.pause(2)


async def groups(pilot: Pilot[int], app: AwsirApp, demo: DemoServer) -> None:
    await view(pilot, app, "sg")
    await until(pilot, lambda: getattr(app.screen, "loaded", False))
    await filtered(pilot, app, "open:true")
    await pilot.pause(0.5)


async def keys(pilot: Pilot[int], app: AwsirApp, demo: DemoServer) -> None:
    await view(pilot, app, "keys")
    await until(pilot, lambda: getattr(app.screen, "loaded", False))
    await pilot.pause(0.5)


async def events(pilot: Pilot[int], app: AwsirApp, demo: DemoServer) -> None:
    await view(pilot, app, "events")
    await filtered(pilot, app, f"user:{demo.facts.proxy_instance_id}")
    await pilot.pause(8)


async def event(pilot: Pilot[int], app: AwsirApp, demo: DemoServer) -> None:
    await view(pilot, app, "events")
    await filtered(pilot, app, f"user:{demo.facts.proxy_instance_id} name:RunInstances error:*")
    await pilot.pause(8)
    await pilot.press("enter")
    await pilot.pause(1)


async def findings(pilot: Pilot[int], app: AwsirApp, demo: DemoServer) -> None:
    await view(pilot, app, "findings")
    await pilot.pause(20)


async def posture(pilot: Pilot[int], app: AwsirApp, demo: DemoServer) -> None:
    await view(pilot, app, "posture")
    await pilot.pause(4)


async def regions(pilot: Pilot[int], app: AwsirApp, demo: DemoServer) -> None:
    await view(pilot, app, "regions")
    await pilot.pause(2)


async def evidence(pilot: Pilot[int], app: AwsirApp, demo: DemoServer) -> None:
    """F on the attacker's instance, Y to its first volume's question (n to any
    other), then `:evidence` once every region has answered."""
    await instance(pilot, app, demo)
    await pilot.press("F")
    answer = "Y"
    while True:
        await until(pilot, lambda: isinstance(app.screen, Confirm) or not any(
            w.group == "forensics" and not w.is_finished for w in app.workers))
        if not isinstance(app.screen, Confirm):
            break
        await pilot.press(answer)
        answer = "n"
        await pilot.pause(0.5)
    await view(pilot, app, "evidence")
    await until(pilot, lambda: isinstance(app.screen, EvidenceView)
                and bool(app.screen.rows) and not app.screen.waiting)


SHOTS: dict[str, Step] = {
    "instances": instances, "instance": instance, "security-groups": groups,
    "key-pairs": keys, "events": events, "event": event, "findings": findings,
    "posture": posture, "regions": regions, "evidence": evidence,
}
#: Shots that make something in the demo account (F: a snapshot): their app runs as
#: `--allow-actions` does, the others read-only.
ACTING = frozenset({"evidence"})


async def shoot(demo: DemoServer, name: str, step: Step) -> None:
    # A case of its own per shot: the account's case reopens the view it was left in,
    # and each shot opened where the one before it ended (the evidence shot on
    # :regions, the events shot under key pairs).
    os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix=f"awsir-shot-{name}-")
    acting = name in ACTING
    ctx = AwsContext(AwsTarget(regions=tuple(demo.regions), endpoint_url=demo.endpoint_url,
                               static_credentials=("testing", "testing"),
                               allow_actions=acting))
    app = AwsirApp(Options(demo=True, allow_actions=acting), ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, View))
        try:
            await step(pilot, app, demo)
        except TimeoutError as exc:
            print(f"{name}: {exc}; shot taken as it is", file=sys.stderr)
        app.save_screenshot(f"{name}.svg", str(OUT))
        print(f"screenshots/{name}.svg")


async def main(names: list[str]) -> None:
    for variable, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "x"),
                            ("AWS_EC2_METADATA_DISABLED", "true")):
        os.environ.setdefault(variable, value)
    OUT.mkdir(exist_ok=True)
    with DemoServer() as demo:
        for name in names or list(SHOTS):
            await shoot(demo, name, SHOTS[name])


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
