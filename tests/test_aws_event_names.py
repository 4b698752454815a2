"""The known event names, read from botocore's service models offline, and the cache of
them that spares each start the models' read (some 4 s)."""

from __future__ import annotations

import json
import threading
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
    assert cache_path().name.startswith("event-names-2-botocore-")
    # A link (to /dev/zero, a file elsewhere) or a file too big is not read either.
    cache.unlink()
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"ec2.amazonaws.com": ["RunInstances"]}))
    cache.symlink_to(big)
    assert names_by_source(cache) == built
    cache.unlink()
    cache.write_text(" " * (9 << 20) + "{}")
    assert names_by_source(cache) == built


def test_lambda_s_dated_names_are_known_so_a_part_of_them_is_not_completed() -> None:
    """Lambda logs AddPermission20150331v2; the models hold AddPermission (Lambda's, SNS's,
    SQS's) alone: name:addperm completed to it left Lambda's grants out unsaid."""
    names = EventNames(from_botocore())
    assert names.is_whole("UpdateFunctionCode20150331v2")
    assert names.is_whole("PublishLayerVersion20181031")
    assert len(names.containing("addperm")) > 1


def test_without_botocore_s_models_there_is_no_catalogue_and_no_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken() -> dict[str, tuple[str, ...]]:
        raise KeyError("operations")

    monkeypatch.setattr(event_names, "from_botocore", broken)
    assert names_by_source(tmp_path / "event-names.json") == {}
    assert not (tmp_path / "event-names.json").exists()


def test_the_catalogue_not_ready_is_empty_while_a_thread_builds_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The planner runs on the UI thread: it takes the catalogue only when it is read or
    cached, never waits seconds for botocore's models."""
    monkeypatch.setattr(event_names, "_loaded", None)
    monkeypatch.setattr(event_names, "_building", None)
    assert not cache_path().exists()  # each test's XDG folders are its own
    assert len(event_names.event_names_now()) == 0
    building = event_names._building
    assert building is not None
    building.join(60)
    assert cache_path().exists()
    assert event_names.event_names_now().is_whole("RunInstances")


def test_the_planner_s_ask_does_not_wait_for_a_build_under_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The build holds the catalogue's lock for seconds: the UI thread's ask took that
    lock too, and froze the TUI until the models were read."""
    monkeypatch.setattr(event_names, "_loaded", None)
    monkeypatch.setattr(event_names, "_building", threading.Thread(target=lambda: None))
    answered: list[int] = []
    with event_names._lock:  # as a build under way holds it
        asking = threading.Thread(target=lambda: answered.append(
            len(event_names.event_names_now())))
        asking.start()
        asking.join(30)  # a deadlock check, not a speed one: it never ends while held
        assert answered == [0]
