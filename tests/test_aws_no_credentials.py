"""No credentials anywhere: every region says so at once, in words, not after a wait per
region, and `:regions` says why a region has no rows."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from botocore.exceptions import NoCredentialsError
from botocore.utils import InstanceMetadataFetcher

from awsir_tui.app import AwsirApp
from awsir_tui.aws import context
from awsir_tui.aws.context import AwsContext, AwsTarget
from awsir_tui.aws.errors import FailureKind
from awsir_tui.aws.inventory import Inventory, Kind
from awsir_tui.cli import Options
from awsir_tui.commands.output import PARTLY_ANSWERED
from awsir_tui.ui.regions import RegionsView
from tests.helpers_app import open_view, screen_text, wait_for

REGIONS = ("us-east-1", "eu-west-1", "ap-south-1")


@pytest.fixture
def metadata_asked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[int]:
    """No credentials in the environment or the files; the instance metadata endpoint
    (which off EC2 takes seconds to not answer) counted each time it is asked."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                 "AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    # Nor in the files: a machine with ~/.aws/credentials or an SSO profile has some.
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "false")
    asked: list[int] = []

    def no_role(_fetcher: InstanceMetadataFetcher) -> dict[str, str]:
        asked.append(1)
        return {}

    monkeypatch.setattr(InstanceMetadataFetcher, "retrieve_iam_role_credentials", no_role)
    return asked


def test_no_credentials_is_found_once_and_said_for_every_region(
    metadata_asked: list[int],
) -> None:
    ctx = AwsContext(AwsTarget(regions=REGIONS))
    inventory = Inventory(ctx, REGIONS)
    outcomes = asyncio.run(inventory.load(Kind.INSTANCES))
    with pytest.raises(NoCredentialsError):
        ctx.caller_identity()
    assert [o.failure.kind if o.failure else None for o in outcomes] == [
        FailureKind.CREDENTIALS
    ] * len(REGIONS)
    assert metadata_asked == [1]  # once, not once per region's client
    assert [state.summary for state in inventory.states(Kind.INSTANCES)] == [
        "no credentials (Unable to locate credentials)"
    ] * len(REGIONS)


def test_credentials_made_later_are_found(
    metadata_asked: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An SSO login in another terminal: the chain is asked again once the recheck is
    due (at once here), and the credentials it made are used."""
    monkeypatch.setattr(context, "NO_CREDENTIALS_RECHECK", 0.0)
    ctx = AwsContext(AwsTarget(regions=REGIONS))
    with pytest.raises(NoCredentialsError):
        ctx.client("ec2", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    assert ctx.client("ec2", "us-east-1").meta.region_name == "us-east-1"


async def test_regions_says_why_a_region_has_no_instances(metadata_asked: list[int]) -> None:
    """`:instances` with no credentials, then `:regions`: the status column says "no
    credentials", not only "failed"; and a status learned while :regions is open shows."""
    ctx = AwsContext(AwsTarget(regions=("us-east-1",), endpoint_url="http://127.0.0.1:9"))
    app = AwsirApp(Options(), ctx, first_view="instances")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "us-east-1 NO CREDENTIALS" in screen_text(app),
                       "the read, and why it failed")
        screen = await open_view(pilot, app, "regions")
        assert isinstance(screen, RegionsView)
        await wait_for(pilot, lambda: "instances: no credentials (Unable" in screen_text(app),
                       "the status column")
        app.set_region_status("us-east-1", "security groups: throttled (Rate exceeded)")
        # Beside the instances' failure, in the line under the table (which wraps).
        await wait_for(pilot, lambda: "security groups: throttled"
                       in " ".join(screen_text(app).split()),
                       "a status learned while the page is open")


def test_an_s3_source_without_credentials_costs_only_itself(
    metadata_asked: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--source ./logs --source s3://trail` with no credentials: the folder's events
    are answered, the S3 source is listed as skipped and why (it stopped the whole run
    at start before)."""
    from tests.test_lookup_headless_source import STRATUS, records, run

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    code, out, err = run("events", "--source", str(STRATUS), "--source", "s3://trail/logs",
                         "--filter", "name:RunInstances", "--format", "jsonl")
    expected = {r["eventID"] for r in records() if r.get("eventName") == "RunInstances"}
    assert code == PARTLY_ANSWERED, err  # the folder read, the bucket not
    assert {json.loads(line)["eventID"] for line in out.splitlines()} == expected
    assert "s3://trail/logs: no AWS credentials to read it with" in err
