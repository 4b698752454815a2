"""CaseSession: a finding kept from a worker thread, under the lock saves take."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from pathlib import Path

from awsir_tui.case.session import CaseSession
from awsir_tui.detect import Detector
from awsir_tui.detect.finding import Finding
from awsir_tui.events.record import Event
from tests.helpers_detect import technique_events


def findings_and_events() -> tuple[list[Finding], list[Event]]:
    events = technique_events("credential-access.ec2-steal-instance-credentials")
    return Detector().run(events), events


def test_keep_finding_waits_for_a_save_or_snapshot_and_saves(tmp_path: Path) -> None:
    """While another thread holds the case (a save, an export's snapshot), keeping a
    finding waits; then it is in the case, on the timeline and in the file."""
    [finding, *_], events = findings_and_events()
    session = CaseSession("locked", directory=tmp_path)
    try:
        kept: list[Path] = []
        with session._lock:  # what save() and snapshot() hold
            worker = threading.Thread(
                target=lambda: kept.append(session.keep_finding(finding, events)))
            worker.start()
            worker.join(0.3)
            assert worker.is_alive() and not session.case.findings and not session.case.timeline
        worker.join(10)
        assert kept == [session.path]
        saved = json.loads(session.path.read_text())
        assert [f["rule_id"] for f in saved["findings"]] == [finding.rule_id]
        assert {t["event_id"] for t in saved["timeline"]} == set(finding.event_ids)
    finally:
        session.close()


def test_findings_kept_from_threads_while_snapshots_run_are_all_saved(tmp_path: Path) -> None:
    """Many findings kept from worker threads while the case is snapshotted and saved
    over and over: no reader sees the timeline change under it, nothing is lost."""
    [finding, *_], events = findings_and_events()
    # Each finding with events of its own: keeping one adds entries to the timeline.
    copies = {n: [replace(e, event_id=f"{e.event_id}-{n}") for e in events] for n in range(40)}
    many = [
        replace(finding, rule_id=f"rule-{n}",
                event_ids=tuple(f"{i}-{n}" for i in finding.event_ids))
        for n in copies
    ]
    session = CaseSession("busy", directory=tmp_path)
    errors: list[BaseException] = []
    done = threading.Event()

    session.mark(events[0].source_ip or "203.0.113.9", source="events")

    def read_all_the_time() -> None:
        try:
            while not done.is_set():
                session.snapshot()
                session.save()
                session.indicators_seen()  # what :indicators shows, as K goes on
        except BaseException as exc:
            errors.append(exc)

    def keep(some: list[Finding]) -> None:
        try:
            for item in some:
                session.keep_finding(item, copies[int(item.rule_id.split("-")[1])])
        except BaseException as exc:
            errors.append(exc)

    reader = threading.Thread(target=read_all_the_time)
    keepers = [threading.Thread(target=keep, args=(many[n::4],)) for n in range(4)]
    try:
        reader.start()
        for thread in keepers:
            thread.start()
        for thread in keepers:
            thread.join(60)
        done.set()
        reader.join(60)
        assert not errors, errors
        saved = json.loads(session.path.read_text())
        assert {f["rule_id"] for f in saved["findings"]} == {f.rule_id for f in many}
        assert {t["event_id"] for t in saved["timeline"]} == {
            i for item in many for i in item.event_ids}
    finally:
        done.set()
        session.close()


def test_one_finding_kept_from_two_threads_at_once_is_kept_once_and_the_second_told(
    tmp_path: Path,
) -> None:
    """K pressed twice before the first keep is shown: two workers keep the same
    finding. The session checks under its lock: one saves it (the path), the other is
    told the case has it already (None), and the case holds it once."""
    [finding, *_], events = findings_and_events()
    session = CaseSession("twice", directory=tmp_path)
    try:
        answers: list[Path | None] = []
        with session._lock:  # both wait here, then run one after the other
            workers = [threading.Thread(
                target=lambda: answers.append(session.keep_finding(finding, events)))
                for _ in range(2)]
            for worker in workers:
                worker.start()
        for worker in workers:
            worker.join(10)
        assert sorted(answers, key=str) == sorted([session.path, None], key=str)
        assert session.case.findings == [finding]
        saved = json.loads(session.path.read_text())
        assert [f["rule_id"] for f in saved["findings"]] == [finding.rule_id]
        assert session.keep_finding(finding, events) is None  # and again, later
    finally:
        session.close()


def test_the_indicators_view_reads_spans_while_a_big_finding_is_kept(tmp_path: Path) -> None:
    """:indicators walks the timeline for first/last seen while K, in a worker, adds a
    finding's 2,000 events to it: read under the lock, the walk never sees the timeline
    change under it ('dictionary changed size during iteration' killed the app)."""
    [finding, *_], events = findings_and_events()
    many = [replace(events[n % len(events)], event_id=f"big-{n}") for n in range(2000)]
    big = replace(finding, event_ids=tuple(e.event_id for e in many))
    session = CaseSession("spans", directory=tmp_path)
    session.mark(many[0].source_ip or "203.0.113.9", source="events")
    errors: list[BaseException] = []
    keeper = threading.Thread(target=lambda: session.keep_finding(big, many))
    try:
        keeper.start()
        while keeper.is_alive():
            try:
                session.indicators_seen()
            except RuntimeError as exc:
                errors.append(exc)
                break
        keeper.join(30)
        assert not errors
        assert len(session.case.timeline) >= 2000
    finally:
        session.close()


def test_the_indicators_view_s_spans_and_events_come_from_one_read_under_the_lock(
    tmp_path: Path,
) -> None:
    """:indicators reads its indicators, their first/last seen and the events naming
    each value in one call, under the lock K takes (it waits for one in progress): the
    pane's first and last event naming a value are the first and last seen it shows,
    and every export's (:func:`seen_spans`)."""
    from awsir_tui.case.model import seen_spans

    [finding, *_], events = findings_and_events()
    session = CaseSession("one-read", directory=tmp_path)
    try:
        address = next(e.source_ip for e in events if e.event_id in finding.event_ids)
        session.mark(address, source="events")
        session.keep_finding(finding, events)
        read: list[object] = []
        with session._lock:
            reader = threading.Thread(target=lambda: read.append(session.indicators_seen()))
            reader.start()
            reader.join(0.3)
            assert reader.is_alive() and not read
        reader.join(10)
        [(indicators, spans, naming)] = read
        [indicator] = indicators
        named = naming[address]
        assert [e.event_id for e in named] == [
            t.event_id for t in sorted(session.case.timeline.values(), key=lambda t: t.time)
            if address in t.values()]
        assert spans[indicator.key] == (named[0].time, named[-1].time)
        assert spans == seen_spans(indicators, session.case.timeline.values())
    finally:
        session.close()
