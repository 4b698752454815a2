"""Piped, the headless table cuts nothing (#5, a responder's review): ``findings | head``
showed ``GPU or accelerator instances requested (possibl…``, losing the words that
matter, where the README promises each record whole on one line. Over the demo
account's Event history, through the real command line, stdout a pipe."""

from __future__ import annotations

import json

from awsir_tui.demo.server import DemoServer
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
