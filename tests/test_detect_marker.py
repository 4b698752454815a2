"""The events table's marker: single-event rules, judged per row, on real records."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.demo.server import DemoServer
from awsir_tui.detect.marker import EventMarker
from awsir_tui.ui.base import View
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import demo_app, open_view, screen_text, wait_for
from tests.helpers_detect import technique_events


def test_marker_flags_tampering_and_leaves_reads_blank() -> None:
    marker = EventMarker()
    stop = [e for e in technique_events("defense-evasion.cloudtrail-stop")
            if e.event_name == "StopLogging"]
    assert stop and all(marker.letter(e) in ("H", "C") for e in stop)
    reads = [e for e in technique_events("discovery.ec2-download-user-data")
             if e.read_only and not e.error_code]
    assert reads and all(marker.letter(e) == "" for e in reads)


async def test_the_attackers_ingress_rule_is_flagged_in_the_events_table(
    demo: DemoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    facts = demo.facts
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View))
        view = await open_view(pilot, app, "events")
        assert isinstance(view, EventsView)
        await pilot.press("slash", *f"ip:={facts.attacker_ip} name:AuthorizeSecurityGroupIngress",
                          "enter")

        def rows() -> list[str]:
            """The table's row of the call (the breadcrumb names the filter too)."""
            return [line for line in screen_text(app).splitlines()
                    if "AuthorizeSecurityGro" in line and facts.attacker_ip in line
                    and "\u203a" not in line]

        await wait_for(pilot, lambda: view.table.row_count == 1 and bool(rows()), "the row",
                       seconds=60)
        assert rows()[0].lstrip().startswith(("H", "C"))


def test_a_refused_call_is_marked_as_its_finding_ranks_it() -> None:
    """LeaveOrganization refused: M, as its finding (a denied attempt) says, not H."""
    [leave] = [e for e in technique_events("defense-evasion.organizations-leave")
               if e.event_name == "LeaveOrganization"]
    assert leave.error_code == "AccessDenied"
    assert EventMarker().letter(leave) == "M"


def test_a_call_failed_for_a_quota_keeps_its_rule_s_level() -> None:
    """RunInstances of a GPU type failed for VcpuLimitExceeded passed the permission
    check (the key can launch): its row keeps the rule's level, as its finding does,
    where a refused one is a level lower."""
    from dataclasses import replace

    from awsir_tui.detect.finding import severity_rank

    [launch] = [e for e in technique_events("execution.ec2-launch-unusual-instances")
                if e.event_name == "RunInstances"][:1]
    marker = EventMarker()
    done = marker.letter(replace(launch, error_code="", event_id="done"))
    quota = marker.letter(replace(launch, error_code="VcpuLimitExceeded", event_id="quota"))
    denied = marker.letter(replace(launch, error_code="AccessDenied", event_id="denied"))
    assert done and quota == done
    letters = {"C": "critical", "H": "high", "M": "medium", "L": "low"}
    assert severity_rank(letters[denied]) == severity_rank(letters[done]) - 1


@pytest.mark.parametrize("code", ["InvalidClientTokenId", "ExpiredToken", "Client.AuthFailure"])
def test_a_call_with_rejected_credentials_is_marked_as_a_refused_one(code: str) -> None:
    """LeaveOrganization signed with a revoked key or an expired session did nothing, as
    the AccessDenied one did: M, a level below the rule's H."""
    from dataclasses import replace

    [leave] = [e for e in technique_events("defense-evasion.organizations-leave")
               if e.event_name == "LeaveOrganization"]
    marker = EventMarker()
    assert marker.letter(replace(leave, error_code="", event_id="done")) == "H"
    assert marker.letter(replace(leave, error_code=code, event_id=code)) == "M"
