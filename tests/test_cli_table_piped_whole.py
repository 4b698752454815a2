"""Piped, the headless table cuts nothing (#5, a responder's review): ``findings | head``
showed ``GPU or accelerator instances requested (possibl…``, losing the words that
matter, where the README promises each record whole on one line. Over the demo
account's Event history, through the real command line, stdout a pipe."""

from __future__ import annotations

import json
from pathlib import Path

from awsir_tui.demo.server import DemoServer
from tests.helpers_events import STEAL_CREDENTIALS, stratus_files
from tests.helpers_headless import run_cli


def test_findings_piped_keep_every_title_and_summary_whole(demo: DemoServer) -> None:
    where = ["findings", "--endpoint-url", demo.endpoint_url,
             "--regions", ",".join(demo.regions), "--since", "2h"]
    code, out, err = run_cli(*where, "--format", "json")
    assert code == 0, err
    findings = json.loads(out)
    assert any(f["title"].endswith("(possible cryptomining)") for f in findings)
    code, out, err = run_cli(*where)
    assert code == 0, err
    header, *rows = out.splitlines()
    assert header.split()[:2] == ["severity", "title"]
    assert "\u2026" not in out
    assert len(rows) == len(findings)
    for finding, row in zip(findings, rows, strict=True):
        assert finding["title"] in row and finding["summary"] in row, row


#: Write calls of EC2's own API, six named in the summary of an instance role's writes.
WRITES = ["ModifyTransitGatewayPrefixListReference", "CreateTransitGatewayPeeringAttachment",
          "DeleteTransitGatewayMulticastDomain", "ModifyVpcEndpointServicePermissions",
          "CreateVerifiedAccessTrustProvider", "CreateNetworkInterfacePermission"]


def test_a_summary_longer_than_the_terminal_cut_is_whole_piped_and_in_csv(
    tmp_path: Path,
) -> None:
    """The findings command cut a summary at 300 characters before the table saw it,
    so ``x3 (1 failed)`` and the caller went from a pipe and from CSV alike."""
    [read] = [r for r in stratus_files()[STEAL_CREDENTIALS]
              if r["eventName"] == "DescribeInstances"][:1]
    writes = [dict(read, eventName=name, readOnly=False, eventID=f"{name}-{n}",
                   **({"errorCode": "Client.UnauthorizedOperation"} if n == 0 else {}))
              for name in WRITES for n in range(3)]
    (tmp_path / "log.json").write_text(json.dumps({"Records": writes}))
    code, out, err = run_cli("findings", "--source", str(tmp_path), "--format", "json")
    assert code == 0, err
    [finding] = [f for f in json.loads(out) if f["rule_id"] == "awsir_instance_role_write_call"]
    summary = finding["summary"]
    assert len(summary) > 300 and summary.endswith("from 18.236.253.47"), summary
    for fmt in ("table", "csv"):
        code, out, err = run_cli("findings", "--source", str(tmp_path), "--format", fmt)
        assert code == 0, err
        assert summary in out and "\u2026" not in out, fmt
