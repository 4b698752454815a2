"""`:timeline` at 80x24 shows the compromised instance's ID whole in who (responder
review): a stolen role's calls are made by the instance's session, named by it, and
``i-b2547952490…`` did not tell it from the account's other instances, while the
events table gives it 19 columns. Since #5's review the error codes show whole first
(after the name, still telling Ingress from Egress), and who, l away, whole."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from awsir_tui.case import Case, CaseStore
from awsir_tui.case.model import TimelineEntry
from awsir_tui.detect.finding import Finding
from awsir_tui.ui.case_timeline import TimelineView
from tests.helpers_app import open_view, screen_text, wait_for
from tests.helpers_ui_events import account_ready, offline_app

INSTANCE = "i-b2547952490b7fe51"
#: The demo attack's calls by the instance's session, and how each ended: more rows
#: than 80x24 shows (a vertical scrollbar takes two columns).
CALLS = [
    ("GetCallerIdentity", "ok"), ("DescribeSecurityGroups", "ok"),
    ("RunInstances", "InstanceLimitExceeded"), ("RunInstances", "VcpuLimitExceeded"),
    ("RunInstances", "Client.UnauthorizedOperation"), ("CreateSecurityGroup", "ok"),
    ("AuthorizeSecurityGroupIngress", "ok"), ("ImportKeyPair", "ok"), ("RunInstances", "ok"),
    ("DescribeInstanceStatus", "ok"), ("DescribeKeyPairs", "ok"), ("DescribeSubnets", "ok"),
    ("DescribeImages", "ok"), ("DescribeInstances", "ok"), ("GetCallerIdentity", "ok"),
    ("DescribeInstances", "ok"),
]


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The case goes to a fresh XDG data directory, never the developer's own."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    return tmp_path


def saved_case() -> None:
    """The calls above on the timeline, and the critical finding that kept them."""
    start = datetime(2024, 12, 1, 5, 48, 0, tzinfo=UTC)
    case = Case("default")  # the case an app that cannot learn its account opens
    case.timeline = {
        f"e{n}": TimelineEntry(f"e{n}", start + timedelta(seconds=37 * n), name,
                               user=INSTANCE, outcome=error,
                               why="flagged: Instance role credentials used outside")
        for n, (name, error) in enumerate(CALLS)
    }
    case.findings = [Finding("r1", "Instance role credentials used outside the instance",
                             "critical", "T1552.005", tuple(case.timeline), "",
                             first_time=start)]
    CaseStore().save(case)


async def test_who_shows_the_instance_id_whole_at_80() -> None:
    saved_case()
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: account_ready(app))
        view = await open_view(pilot, app, "timeline")
        assert isinstance(view, TimelineView)
        await wait_for(pilot, lambda: "ImportKeyPair" in screen_text(app), "the rows drawn")
        lines = screen_text(app).splitlines()
        header = next(line for line in lines if "what" in line)
        assert header.split()[-3:] == ["(UTC)", "what", "outcome"], header
        # The error codes whole, each row's outcome in sight, the name telling the call.
        assert any("AuthorizeSecurityGroupI" in line for line in lines), "\n".join(lines)
        for code in ("InstanceLimitExceeded", "VcpuLimitExceeded",
                     "Client.UnauthorizedOperation"):
            assert any(f" {code} " in line for line in lines), (code, "\n".join(lines))
        # Who beside long codes is l away (l l, what keeping its width): the
        # instance's ID whole in every call's row.
        await pilot.press("l", "l")
        await wait_for(pilot, lambda: "who" in screen_text(app).split(), "who in sight")
        calls = [line for line in screen_text(app).splitlines() if INSTANCE[:10] in line]
        assert len(calls) > 10, screen_text(app)
        assert all(f" {INSTANCE} " in line for line in calls), "\n".join(calls)
