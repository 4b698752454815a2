"""``--regions`` as the headless commands read it, over real HTTP to the demo account:
a region named twice is read once."""

from __future__ import annotations

import pytest

from awsir_tui.cli import main, parse_regions
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
