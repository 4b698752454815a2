"""The indicators as a responder takes them out of the case: the values alone, swept
through a log with a real ``grep -F -f``, and a tag's value with the key it was under."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from awsir_tui.case import Case, CaseStore, TimelineEntry, export_case
from awsir_tui.case.export import EXPORTS, VALUES, export_name
from awsir_tui.case.pivot import pivots
from awsir_tui.demo.attack import HOSTILE_TAG_VALUE
from awsir_tui.query import EVENT_FIELDS, INSTANCE_FIELDS, compile_predicate, parse

INSTANCE = "i-0a81bad37a6a6b0c1"
VOLUME = "vol-0123456789abcdef0"
ADDRESS = "54.214.52.18"
#: A value that reads as the txt export's heading lines do.
HEADING_LIKE = "# 1 event on the timeline"


def marked_case() -> Case:
    """What QA marked on the malicious instance's page (its address, volume and Name
    tag), the address again as a word from a note, and an event on the timeline."""
    case = Case("account-123456789012")
    case.mark(ADDRESS, "ip", source="instance details", region="us-east-1", ref=INSTANCE)
    case.mark(VOLUME, "volume", source="instance details", region="us-east-1", ref=INSTANCE)
    case.mark(HOSTILE_TAG_VALUE, "tag", source="instance details", region="us-east-1",
              ref=INSTANCE, tag="Name")
    case.mark(ADDRESS, "other", source="notes")
    case.mark(HEADING_LIKE, "other", source="notes")
    case.timeline["e1"] = TimelineEntry("e1", datetime(2026, 12, 1, 5, 44, tzinfo=UTC),
                                        "RunInstances", source_ip=ADDRESS)
    return case


def test_the_values_are_each_indicator_once_and_nothing_else():
    """``x`` writes the values alone beside the case (the txt's timeline lines after
    them were patterns too), each once: one pattern per value, not per kind."""
    lines = export_case(marked_case(), VALUES).splitlines()
    assert sorted(lines) == sorted([ADDRESS, VOLUME, HOSTILE_TAG_VALUE, HEADING_LIKE])
    assert VALUES in EXPORTS
    assert export_name("account-123456789012", VALUES) == "account-123456789012-values.txt"
    assert export_name("account-123456789012", "txt") == "account-123456789012.txt"
    assert export_case(Case("empty"), VALUES) == ""  # an empty pattern file matches nothing


def test_grep_F_f_sweeps_a_log_for_every_value_even_the_attackers_tag(tmp_path: Path):
    """QA: ``grep -f account-….txt some.log`` stopped at the Name tag ``[bold red]x[/]
    [/`` (``Unmatched [``, exit 2, nothing swept) and an address's dots matched any
    character. The values file, read as fixed strings, finds exactly the lines that hold
    a value."""
    grep = shutil.which("grep")
    assert grep is not None
    patterns = tmp_path / export_name("account-123456789012", VALUES)
    patterns.write_text(export_case(marked_case(), VALUES), encoding="utf-8")
    holding = [
        f"Dec  1 05:44:03 sshd[811]: Accepted publickey for ec2-user from {ADDRESS} port 4022",
        f"Dec  1 05:45:10 kernel: attaching {VOLUME} at /dev/sdf",
        f"Dec  1 05:46:00 tagger: Name={HOSTILE_TAG_VALUE} set by root",
        f"Dec  1 05:47:00 note: {HEADING_LIKE} (UTC)",
    ]
    sparing = [
        "Dec  1 05:44:04 sshd[812]: Connection from 54x214x52x18 port 4023",  # '.' is no wildcard
        "Dec  1 05:48:00 cron[90]: (root) CMD (run-parts /etc/cron.hourly)",
        "Dec  1 05:49:00 kernel: [bold red] x",
        "Dec  1 05:50:00 RunInstances e1",  # the timeline is no pattern
    ]
    log = tmp_path / "some.log"
    log.write_text("\n".join([sparing[0], *holding, *sparing[1:]]) + "\n", encoding="utf-8")
    found = subprocess.run([grep, "-F", "-f", str(patterns), str(log)], capture_output=True,
                           text=True, check=False, timeout=60)
    assert (found.returncode, found.stderr) == (0, "")
    assert found.stdout.splitlines() == holding


def test_a_tags_key_goes_with_its_value_into_the_case_file_and_every_export(tmp_path: Path):
    """``m`` on the Name tag's row kept ``tag [bold red]x[/] [/`` with no key: no row,
    export or pivot said it was the Name tag. The key is kept with the sighting, saved
    and read back, and said wherever the value is: ``Name=…`` shown, ``tag Name`` in
    every format's "seen in"; the value stays the tag's, for the events and a sweep."""
    store = CaseStore(tmp_path)
    store.save(marked_case())
    case = store.load("account-123456789012")
    indicator = case.indicators[("tag", HOSTILE_TAG_VALUE)]
    assert indicator.value == HOSTILE_TAG_VALUE
    assert indicator.tag_keys() == ["Name"]
    assert indicator.shown() == f"Name={HOSTILE_TAG_VALUE}"
    where = f"instance details us-east-1 {INSTANCE} tag Name"
    assert [s.label() for s in indicator.sightings] == [where]
    assert case.indicators[("ip", ADDRESS)].shown() == ADDRESS  # no tag, no key

    assert f"tag  {HOSTILE_TAG_VALUE}  unknown  unknown  " in export_case(case, "txt")
    assert where in export_case(case, "txt")
    [row] = [r for r in csv.DictReader(io.StringIO(export_case(case, "csv")))
             if r["kind"] == "tag"]
    assert (row["value"], row["where"]) == (HOSTILE_TAG_VALUE, where)
    [item] = [i for i in json.loads(export_case(case, "json"))["indicators"]
              if i["kind"] == "tag"]
    assert item["sightings"][0]["tag"] == "Name"
    assert f"instance details us-east-1 {INSTANCE} tag Name" in export_case(case, "md")


def test_a_tags_pivots_search_its_value_and_list_the_instances_with_the_tag():
    """Enter on the tag: the events that mention the value (the key is no part of a
    record), said to be the Name tag's, then the instances with that tag."""
    indicator = marked_case().indicators[("tag", HOSTILE_TAG_VALUE)]
    events, instances = pivots(indicator)
    assert events.view == "events" and "the value of the tag Name" in events.label
    [term] = parse(events.filter, EVENT_FIELDS).terms
    assert term.values == (HOSTILE_TAG_VALUE,) and term.field is None
    assert instances.view == "instances" and f"Name={HOSTILE_TAG_VALUE}" in instances.label
    match = compile_predicate(parse(instances.filter, INSTANCE_FIELDS), INSTANCE_FIELDS)
    assert match({"Tags": [{"Key": "Name", "Value": HOSTILE_TAG_VALUE}]})
    assert not match({"Tags": [{"Key": "Owner", "Value": HOSTILE_TAG_VALUE}]})
