"""The known event names, read from botocore's service models offline, and the cache of
them that spares each start the models' read (some 4 s)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awsir_tui.aws import event_names
from awsir_tui.aws.event_names import cache_path, from_botocore, names_by_source
from awsir_tui.query.names import EventNames


def test_botocore_s_operations_are_filed_under_their_event_sources() -> None:
    catalogue = from_botocore()
    assert "RunInstances" in catalogue["ec2.amazonaws.com"]
    assert "CreateUser" in catalogue["iam.amazonaws.com"]
    assert "GetCallerIdentity" in catalogue["sts.amazonaws.com"]
    # Mixed-case signing names are filed as CloudTrail writes sources, in lower case.
    assert all(source == source.lower() for source in catalogue)
    names = EventNames(catalogue)
    assert len(names) > 10_000
    assert not names.is_whole("ConsoleLogin")  # console sign-in is no API: not known
    assert names.containing("runinst") == ("RunInstances",)


def test_the_names_are_cached_for_the_botocore_version_and_a_bad_cache_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache = tmp_path / "event-names.json"
    built = names_by_source(cache)
    assert json.loads(cache.read_text()) == {k: list(v) for k, v in built.items()}
    # Read back from the file alone: a catalogue written there is what is used.
    cache.write_text(json.dumps({"ec2.amazonaws.com": ["RunInstances"]}))
    assert names_by_source(cache) == {"ec2.amazonaws.com": ("RunInstances",)}
    # A file that is not a catalogue of names (anyone may write the cache) is not used:
    # the models are read again (the same as the first read, not read 5 more times).
    monkeypatch.setattr(event_names, "from_botocore", lambda: built)
    for bad in ('{"ec2.amazonaws.com": ["[bold]x"]}', '{"EC2 ": ["RunInstances"]}', "[1]",
                "{", '{"ec2.amazonaws.com": "RunInstances"}'):
        cache.write_text(bad)
        assert names_by_source(cache) == built, bad
        assert json.loads(cache.read_text())["ec2.amazonaws.com"] == list(
            built["ec2.amazonaws.com"]), bad  # and written again whole
    assert cache_path().name.startswith("event-names-botocore-")
