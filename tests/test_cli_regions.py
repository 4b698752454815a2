"""``--regions`` as the headless commands read it, over real HTTP to the demo account:
a region named twice is read once, and a region the account does not know is named and
skipped while the others are read."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from awsir_tui.cli import main, parse_regions
from awsir_tui.commands.output import PARTLY_ANSWERED
from awsir_tui.demo.server import DemoServer

COMMANDS = ("instances", "security-groups", "key-pairs")


def run(demo: DemoServer, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args, "--endpoint-url", demo.endpoint_url])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_region_named_twice_is_kept_once_in_its_first_place() -> None:
    assert parse_regions("us-east-1,eu-west-1,us-east-1") == ("us-east-1", "eu-west-1")


@pytest.mark.parametrize("command", COMMANDS)
def test_a_region_named_twice_lists_its_items_once(
    demo: DemoServer, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    region = demo.regions[0]
    code, once, err = run(demo, capsys, command, "--regions", region, "--format", "jsonl")
    assert code == 0, err
    code, twice, err = run(demo, capsys, command, "--regions", f"{region},{region}",
                           "--format", "jsonl")
    assert code == 0, err
    assert once.strip()
    assert twice.splitlines() == once.splitlines()


@pytest.mark.parametrize("command", COMMANDS)
def test_an_unknown_region_is_named_at_start_and_the_others_are_read(
    demo: DemoServer, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    region = demo.regions[0]
    code, known, err = run(demo, capsys, command, "--regions", region, "--format", "jsonl")
    assert code == 0, err
    # first: the unknown region must not become the region of the global calls
    code, out, err = run(demo, capsys, command, "--regions", f"us-west-9,{region}",
                         "--format", "jsonl")
    assert code == 0, err
    assert out.splitlines() == known.splitlines()
    assert err.splitlines()[0] == (
        "awsir-tui: us-west-9 is not a region this account knows: skipped"
    )
    assert "ResponseParserError" not in err and "Traceback" not in err


def test_a_region_the_account_has_not_enabled_is_skipped_and_said_why(
    demo: DemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """ap-southeast-3 is an opt-in region the demo account has not enabled: read, it
    refuses every call (as if the credentials were wrong), and the demo answered for it
    as if it were enabled: posture said it was logging."""
    region = demo.regions[0]
    code, known, err = run(demo, capsys, "instances", "--regions", region, "--format", "jsonl")
    assert code == 0, err
    code, out, err = run(demo, capsys, "instances", "--regions", f"ap-southeast-3,{region}",
                         "--format", "jsonl")
    assert code == 0, err
    assert out.splitlines() == known.splitlines()
    assert err.splitlines()[0] == ("awsir-tui: ap-southeast-3 is not enabled in this "
                                   "account (not-opted-in): skipped")
    code, out, err = run(demo, capsys, "posture", "--regions", "ap-southeast-3")
    assert code == 2 and out == ""
    assert err.strip() == "awsir-tui: ap-southeast-3: not enabled in this account (not-opted-in)"


def test_only_unknown_regions_is_a_usage_error_not_every_region(
    demo: DemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(demo, capsys, "instances", "--regions", "us-west-9,eu-north-9")
    assert code == 2 and out == ""
    assert err.strip() == (
        "awsir-tui: us-west-9, eu-north-9: not regions this account knows"
    )


def test_unknown_regions_are_kept_when_the_account_cannot_list_its_regions(
    demo: DemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """DescribeRegions denied: the given regions stand, and each says why it failed;
    the one whose endpoint answers garbage says so in words."""
    region = demo.regions[0]
    with demo.denying(region):
        code, out, err = run(demo, capsys, "instances", "--regions", f"{region},us-west-9",
                             "--format", "json")
    assert code == 1 and json.loads(out) == []
    lines = err.splitlines()
    assert f"awsir-tui: {region}: denied" in "\n".join(lines)
    assert "awsir-tui: us-west-9: failed: the endpoint's answer was not AWS's: is the " \
        "region right?" in lines


async def test_the_app_says_the_regions_it_skipped(
    demo: DemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """Skipped at start, the region was said on stderr only, which the TUI's screen
    covers at once: the app says it where the responder looks."""
    from dataclasses import replace

    from awsir_tui.app import AwsirApp
    from awsir_tui.cli import Options, skip_unusable_regions
    from tests.helpers_app import demo_context, screen_text, wait_for

    chosen = ("us-west-9", "ap-southeast-3", demo.regions[0])
    ctx = demo_context(demo)
    ctx.target = replace(ctx.target, regions=chosen)
    skip_unusable_regions(ctx)
    assert ctx.target.regions == (demo.regions[0],)
    app = AwsirApp(Options(demo=True, regions=chosen), ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "us-west-9 is not a region this account knows; "
                       "ap-southeast-3 is not enabled in this account (not-opted-in): skipped"
                       in " ".join(str(n.message) for n in app._notifications),
                       "the skipped regions said, each with why")
        await wait_for(pilot, lambda: "1 region" in screen_text(app), "the header")


@pytest.fixture()
def black_hole() -> Iterator[str]:
    """An endpoint that accepts connections and never answers, as a dead proxy does."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=100)
    held: list[socket.socket] = []

    def accept() -> None:
        with contextlib.suppress(OSError):  # closed at the end of the test
            while True:
                held.append(listener.accept()[0])

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()
    for connection in held:
        connection.close()


def test_the_region_check_gives_up_at_once_when_the_network_does_not_answer(
    black_hole: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The check runs before the app opens and before every command: it used to retry
    and wait its read timeout for each region in turn (five minutes, nothing on
    screen). A timeout is the same for every region: nothing is skipped, nothing said,
    and each region fails later with its own reason."""
    from awsir_tui.aws.context import AwsContext, AwsTarget
    from awsir_tui.cli import skip_unusable_regions

    regions = ("us-west-9", "eu-west-1", "ap-south-1")
    ctx = AwsContext(AwsTarget(regions=regions, endpoint_url=black_hole))
    checked = threading.Thread(target=skip_unusable_regions, args=(ctx,), daemon=True)
    started = time.monotonic()
    checked.start()
    checked.join(timeout=20)  # a hang guard, not a speed assertion
    assert not checked.is_alive(), f"still checking after {time.monotonic() - started:.0f} s"
    assert ctx.target.regions == regions
    assert capsys.readouterr().err == ""


def test_a_first_region_that_refuses_does_not_stop_the_check(
    demo: DemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """An opt-in region the account has not enabled refuses every call, DescribeRegions
    too: given first, it was asked first and its refusal kept the mistyped region. The
    home region (the profile's, here us-east-1) is asked first."""
    refusing = next(region for region in demo.regions if region != "us-east-1")
    with demo.denying(refusing):
        code, out, err = run(demo, capsys, "instances", "--regions",
                             f"{refusing},us-west-9,us-east-1", "--format", "jsonl")
    assert "awsir-tui: us-west-9 is not a region this account knows: skipped" in \
        err.splitlines()
    # us-east-1 answered, the refusing region not: 3, a partial answer
    assert code == PARTLY_ANSWERED and "us-west-9" not in out
