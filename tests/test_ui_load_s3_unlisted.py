"""An S3 archive whose bucket cannot be listed is said as what it is (#5, code review):
``--source s3://denied-bucket`` showed "1 file not read whole" and an export of it
PARTIAL, the confusion NO SUCH PATH ended for local paths. A bucket denied is CANNOT
READ, one that does not exist NO SUCH PATH, on the status line, in :load and in the
export's coverage. Against the demo's S3 over HTTP; the denial is AWS's AccessDenied
answer given through botocore's own error path (the demo allows every call)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from awsir_tui.app import AwsirApp
from awsir_tui.aws.context import AwsContext
from awsir_tui.cli import Options
from awsir_tui.demo.server import DemoServer
from awsir_tui.events.loader import load
from awsir_tui.events.s3archive import MISSING, UNREADABLE
from awsir_tui.events.store import EventStore
from tests.helpers_app import demo_context, screen_text
from tests.test_ui_events_cancelled_read import status_row
from tests.test_ui_load_no_such_path import SIZE, exported_coverage, load_done


@pytest.fixture
def exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AWSIR_TUI_EXPORT_DIR", str(tmp_path / "exports"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "exports"


def deny_listing(ctx: AwsContext) -> None:
    """``ctx``'s S3 client is refused every listing, as a role without s3:ListBucket is."""

    def refuse(**_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        return AWSResponse("https://s3.invalid/", 403, {}, None), {
            "Error": {"Code": "AccessDenied", "Message": "Access Denied"},
            "ResponseMetadata": {"HTTPStatusCode": 403},
        }

    ctx.client("s3").meta.events.register("before-call.s3.ListObjectsV2", refuse)


async def test_a_bucket_denied_is_said_cannot_read(demo: DemoServer, exports: Path) -> None:
    source = f"s3://{demo.facts.trail_bucket}"
    ctx = demo_context(demo)
    deny_listing(ctx)
    app = AwsirApp(Options(sources=[source]), ctx, first_view="regions")
    async with app.run_test(size=SIZE) as pilot:
        view = await load_done(pilot, app)
        row = status_row(app, view)
        assert row.startswith(f"0 events  CANNOT READ {source} (:load)"), row
        row, coverage = await exported_coverage(pilot, app, view, exports, "CANNOT READ")
        assert "PARTIAL" not in row, row
        assert coverage[0] == f"coverage: CANNOT READ {source}", coverage
        page = " ".join(screen_text(app).split())
        assert f"CANNOT READ {source}" in page, page
        assert "cannot list: AccessDenied: Access Denied: nothing read from it" in page, page
        assert "not read whole" not in page and "partial" not in page, page


async def test_a_bucket_that_does_not_exist_is_said_no_such_path(
    demo: DemoServer, exports: Path,
) -> None:
    source = "s3://no-such-trail-bucket"
    app = AwsirApp(Options(sources=[source]), demo_context(demo), first_view="regions")
    async with app.run_test(size=SIZE) as pilot:
        view = await load_done(pilot, app)
        row = status_row(app, view)
        assert row.startswith(f"0 events  NO SUCH PATH {source} (:load)"), row
        row, coverage = await exported_coverage(pilot, app, view, exports)
        assert coverage[0] == f"coverage: NO SUCH PATH {source}", coverage
        assert "not read whole" not in screen_text(app)


def test_the_archive_root_unlisted_is_the_source_a_folder_below_it_is_a_part(
    demo: DemoServer, tmp_path: Path,
) -> None:
    """A URL in the layout (``AWSLogs/``) denied is the source (its reason is the
    listing's); a bucket that does not exist is missing whatever folder of it is named."""
    ctx = demo_context(demo)
    deny_listing(ctx)
    denied = f"s3://{demo.facts.trail_bucket}/AWSLogs/"
    gone = f"s3://no-such-trail-bucket/AWSLogs/{demo.account_id}/"
    with EventStore() as store:
        report = load([denied], store, s3_client=ctx.client("s3"), cache_dir=tmp_path)
        report_gone = load([gone], store, s3_client=demo_context(demo).client("s3"),
                       cache_dir=tmp_path)
    assert [(p.source, p.kind) for p in report.skipped] == [(denied, UNREADABLE)]
    assert [(p.source, p.kind) for p in report_gone.skipped] == [(gone, MISSING)]
