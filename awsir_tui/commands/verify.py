"""``awsir-tui verify``: check CloudTrail logs on disk against the trail's digest files.

``aws cloudtrail validate-logs`` checks logs in S3 only; logs handed over as a folder are
checked here (:mod:`awsir_tui.events.digests`: what was changed, removed or added after
delivery, and breaks in the chain of digests). stdout carries the report; the exit
status says whether the logs are as delivered (0) or not, or could not be told (1).
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from awsir_tui.events.digests import check_digests
from awsir_tui.text import clean

if TYPE_CHECKING:
    from awsir_tui.cli import Options


def run(options: Options, out: TextIO) -> int:
    """Check ``--source`` folders (exit 0: INTACT; 1: PARTLY CHECKED, ALTERED OR
    INCOMPLETE, or NOT CHECKED for want of digests; 2: no local source given or found)."""
    err = sys.stderr
    local = [s for s in options.sources if not s.startswith("s3://")]
    absent = [s for s in local if not Path(s).expanduser().exists()]
    for source in absent:
        print(f"awsir-tui: {clean(source)}: no such file or folder", file=err)
    if not local or absent:
        if not local:
            print("awsir-tui: verify needs --source FOLDER (a copy of the trail's bucket, "
                  "digest files included)", file=err)
        return 2
    check = check_digests(options.sources)
    if options.format == "json":
        json.dump({"verdict": check.verdict(), "intact": check.intact(), **asdict(check)},
                  out, indent=2)
        out.write("\n")
    else:
        for line in check.lines():
            print(line, file=out)
    return 0 if check.intact() else 1
