"""``awsir-tui events`` on Event history of the demo account, when AWS matched the term
sent whole: "0 events · 3/3 regions" alone would read as final, so the hint is said."""

from __future__ import annotations

import contextlib
import io
import json

from awsir_tui.cli import main
from awsir_tui.demo.server import DemoServer
from awsir_tui.events.record import resources_of, user_name_of


def run(demo: DemoServer, text: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["events", "--endpoint-url", demo.endpoint_url, "--regions",
                     ",".join(demo.regions), "--filter", text, "--format", "jsonl"])
    return code, out.getvalue(), err.getvalue()


def follow_hint(demo: DemoServer, err: str) -> tuple[str, set[str], str]:
    """The filter the hint on ``err`` says to type, the event IDs it finds, and what
    that run says on stderr."""
    (said,) = [line for line in err.splitlines() if "try " in line]
    typed = said.split("try ", 1)[1]
    code, out, err = run(demo, typed)
    assert code == 0, err
    return typed, {json.loads(line)["eventID"] for line in out.splitlines()}, err


def test_an_instance_id_cut_to_8_hex_digits_says_the_filter_that_finds_its_events(
    demo: DemoServer,
) -> None:
    """A responder pastes the attacked instance's ID as a narrow column showed it: AWS
    has no user named that, the command says so and what to type, which finds them."""
    instance = demo.facts.proxy_instance_id
    assert len(instance) == len("i-") + 17
    cut = instance[:len("i-") + 8]
    code, out, err = run(demo, f"user:{cut}")
    assert (code, out) == (0, "")
    assert f"Username = {cut} (from user:{cut}) [AWS matches it whole]" in err
    typed, found, err = follow_hint(demo, err)
    assert typed == f"user:{cut.upper()}"
    meant = {r["eventID"] for r in demo.records
             if cut in user_name_of(r.get("userIdentity") or {})}
    assert found == meant and len(meant) > 10
    assert "try " not in err and "every event (no term" in err

    code, out, err = run(demo, f"user:={cut}")  # meant whole: nothing to say
    assert (code, out) == (0, "")
    assert "0 events" in err and "whole" not in err and "try " not in err


def test_an_or_of_cut_ids_read_as_merged_lookups_says_the_filter_that_finds_them(
    demo: DemoServer,
) -> None:
    """Each term of the OR is sent as a lookup of its own: one AWS matched whole is
    enough to say so, and the filter with it rewritten is read whole and finds them."""
    cut = demo.facts.proxy_instance_id[:len("i-") + 8]
    code, out, err = run(demo, f"user:{cut} OR resource:{cut}")
    assert (code, out) == (0, "")
    assert "one lookup per term, merged" in err and "[AWS matches it whole]" in err
    typed, found, err = follow_hint(demo, err)
    assert typed == f"user:{cut.upper()} OR resource:{cut}"
    meant = {r["eventID"] for r in demo.records
             if cut in user_name_of(r.get("userIdentity") or {})
             or any(cut in name for name in resources_of(r))}
    assert found == meant and len(meant) > 10
