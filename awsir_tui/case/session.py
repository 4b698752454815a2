"""The open case of a running app: load once, save after every change.

A responder may lose the SSH connection at any moment. Every change (a marked
indicator, a note, where they are) is written at once, atomically, by the case store;
every AWS call goes to the case's journal as it happens. This class only ties the
three together so the UI has one object to talk to.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from awsir_tui.case.action import Action
from awsir_tui.case.indicator import Indicator
from awsir_tui.case.journal import CallLike, Journal, note_reads, region_read
from awsir_tui.case.model import Case, Naming, Note, Span, TimelineEntry
from awsir_tui.case.store import UNSAFE, CaseFileError, CaseStore, short_digest
from awsir_tui.detect.finding import Finding
from awsir_tui.events.files import source_name
from awsir_tui.events.record import Event


def default_case_name(
    account: str, archives: Iterable[str] = (), store: str | None = None
) -> str:
    """One case per account unless the user names one (``--case``). A session with no
    account (a folder of logs handed over, a ``--store`` file) gets one case per store
    file, else per set of archives: they all shared ``default`` before, so a second
    incident's indicators landed among the first's. Named after the store or the first
    archive (for ``awsir-tui case export``), with a digest of the absolute paths so
    that two folders both called ``logs`` are two cases, and the same folder, or the
    same store reopened alone, is the same case again."""
    if account:
        return f"account-{account}"
    if store:
        return _named_by("store", [source_name(store)])
    where = sorted(source_name(a) for a in archives if a)
    return _named_by("archive", where) if where else "default"


def case_name_for(
    account: str, archives: Iterable[str] = (), store: str | None = None,
    directory: Path | None = None,
) -> str:
    """:func:`default_case_name`, unless that case is not saved yet and the work on these
    events was saved in another case: a responder who read the archives alone, then
    kept them in a ``--store`` file (or reopened that file alone), found their
    indicators gone, kept in the case named after the archives. The first saved of:
    the case the sources name (the store's, with one), the archives', the case of each
    load the store keeps (newest first: :func:`~awsir_tui.events.store.loaded_sources`);
    else the shared ``default`` case if it already read one of these archives or this
    store (work done on them before cases were named after them); else the default
    name, new."""
    archives = list(archives)
    name = default_case_name(account, archives, store)
    if account or name == "default":
        return name  # (an account's case was never 'default')
    cases = CaseStore(directory)
    saved = next((n for n in _earlier_names(name, archives, store) if cases.saved(n)), None)
    if saved is not None:
        return saved
    shared = cases.peek("default")  # a look: an unreadable default is not set aside here
    if shared is None:
        return name
    wanted = set(case_sources(archives, store))
    return "default" if any((s.kind, s.where) in wanted for s in shared.sources) else name


def _earlier_names(name: str, archives: Iterable[str], store: str | None) -> Iterator[str]:
    """The names the work on these events may have been saved under, in the order
    :func:`case_name_for` prefers them: ``name``; with a store, the archives' case
    name, then each of the store's loads' (the store file is read only if it comes
    to that)."""
    from awsir_tui.events.store import loaded_sources  # (DuckDB: only with a store)

    yield name
    if not store:
        return
    archives = [a for a in archives if a]
    if archives:
        yield default_case_name("", archives)
    for sources in loaded_sources(store):
        if sources:
            yield default_case_name("", sources)


def _named_by(kind: str, where: list[str]) -> str:
    """``kind-<name of the first of where>-<digest of all of it>``, in file-name-safe
    characters (a bucket or folder name may hold anything): the characters and the
    digest :func:`~awsir_tui.case.store.safe_name` gives a case file, which it keeps as is."""
    first = where[0].rstrip("/").rsplit("/", 1)[-1].removesuffix(".duckdb")
    name = UNSAFE.sub("-", first).strip(".-")[:40] or kind
    digest = short_digest("\n".join(where))
    return f"{kind}-{name}-{digest}"


def case_sources(archives: Iterable[str] = (), store: str | None = None) -> list[tuple[str, str]]:
    """``(kind, where)`` for each archive (``--source``) and the store (``--store``) a
    session reads events from, named as the loads in the store name them
    (:func:`~awsir_tui.events.files.source_name`): the case said ``/tmp/nat/arch1m``
    where the store and the exports said the ``bench/out/1000000`` typed."""
    found = [("archive", source_name(a)) for a in archives if a]
    return found + ([("store", source_name(store))] if store else [])


class CaseSession:
    """The case, its store and its journal, saved on every change (thread-safe)."""

    def __init__(
        self, name: str, account: str = "", directory: Path | None = None, identity: str = "",
        sources: Iterable[tuple[str, str]] = (),
    ) -> None:
        """Open case ``name`` (worked as ``identity`` in ``account``), noting the
        archives and stores (``sources``: :func:`case_sources`) it reads events from."""
        self.store = CaseStore(directory)
        #: Why the saved case could not be read (it was set aside; a fresh one was opened).
        self.problem = ""
        saved = self.store.saved(name)
        try:
            self.case = self.store.load(name, account)
        except CaseFileError as exc:
            self.problem = str(exc)
            self.case = Case(name=name, account=account)
            saved = False
        #: Whether the case was saved by an earlier session and read back: work continued.
        self.continued = saved
        if account and not self.case.account:
            self.case.account = account
        self._lock = threading.Lock()
        #: Who the app works as: what the case's actions say attempted them.
        self.identity = identity
        self.journal = Journal(self.store.journal_path_for(name), on_record=self._noted)
        if not self.case.reads_noted:
            # Saved before the case noted the regions read: once, from the journal, and
            # saved at once (reading a long journal at every start would not do).
            note_reads(self.case, self.journal.read())
            self.store.save(self.case)
        # Who investigated, for every export (a headless one makes no AWS call): a case
        # opened now is this identity's from its opening; one saved before only from now
        # (what was done in it before is not this identity's to claim).
        noted = self.case.note_identity(identity, account, None if saved else self.case.created)
        noted = any([self.case.note_source(kind, where) for kind, where in sources]) or noted
        if noted:
            self.store.save(self.case)

    def _noted(self, call: CallLike) -> None:
        """A call is in the journal: an account-changing one (made, failed, declined,
        refused) becomes an action of the case; a read of a region the case did not
        know was read is noted (rare: once per region and kind of read). Saved if so."""
        read = region_read(call)
        with self._lock:
            if call.mutating:
                self.case.actions.append(Action.of(call, self.identity))
            elif read is None or not self.case.note_read(*read):
                return
            self.store.save(self.case)

    @property
    def path(self) -> Path:
        """The case file."""
        return self.store.path_for(self.case.name)

    def save(self) -> Path:
        """Write the case now (atomic; secrets redacted)."""
        with self._lock:
            return self.store.save(self.case)

    def mark(
        self, value: str, *, source: str, region: str = "", ref: str = "",
        seen: datetime | None = None, kind: str | None = None, tag: str = "",
        evidence: Event | None = None,
    ) -> Indicator:
        """Mark an indicator and save (``tag``: the key of the tag it is the value of;
        ``evidence``: the event it was read in, marked with it: :meth:`Case.mark`)."""
        with self._lock:
            indicator = self.case.mark(value, kind, source=source, region=region, ref=ref,
                                       seen=seen, tag=tag, evidence=evidence)
            self.store.save(self.case)
        return indicator

    def mark_event(self, event: Event) -> Indicator:
        """Put an event on the timeline (and its ID among the indicators) and save."""
        with self._lock:
            indicator = self.case.mark_event(event)
            self.store.save(self.case)
        return indicator

    def keep_finding(self, finding: Finding, events: Iterable[Event] = ()) -> Path | None:
        """Keep a finding with its events on the timeline, and save; the case file's
        path, or None if the case kept it already (nothing changes; K pressed twice,
        or from two views). Under the lock a save and a snapshot (an export, on its own
        thread) take: a finding kept from a worker thread while they read the case
        would change its timeline under them; and two keeps of one finding, the second
        seeing the first's. ``events`` are read before the lock is taken."""
        wanted = list(events)
        with self._lock:
            if finding in self.case.findings:
                return None
            self.case.keep_finding(finding, wanted)
            return self.store.save(self.case)

    def evidence_leaving(self, kind: str, value: str) -> list[str]:
        """:meth:`Case.evidence_leaving`, under the lock: a finding kept from a worker
        adds to the timeline meanwhile."""
        with self._lock:
            return self.case.evidence_leaving(kind, value)

    def unmark(self, kind: str, value: str) -> bool:
        with self._lock:
            removed = self.case.unmark(kind, value)
            self.store.save(self.case)
        return removed

    def note(self, text: str, kind: str = "", value: str = "") -> None:
        """A note on the case, or on one indicator when ``kind``/``value`` name it."""
        with self._lock:
            indicator = self.case.indicators.get((kind, value)) if kind else None
            if indicator is not None:
                indicator.note = text
            else:
                self.case.add_note(text)
            self.store.save(self.case)

    def remember_place(self, place: dict[str, Any]) -> None:
        """Where the responder is, to reopen it next time."""
        with self._lock:
            if self.case.place != place:
                self.case.place = place
                self.store.save(self.case)

    def kept_findings(self) -> list[Finding]:
        """The findings the case keeps, copied under the lock: a ``K`` on a worker
        thread adds to them while :findings reads them to mark its rows."""
        with self._lock:
            return list(self.case.findings)

    def indicators_seen(
        self,
    ) -> tuple[list[Indicator], dict[tuple[str, str], Span], Naming]:
        """The indicators in order, their first/last seen and the timeline's events by
        the values they name (:meth:`Case.seen`), read under the lock: ``K`` in
        :findings adds to the timeline from a worker thread, and a view walking it
        meanwhile died of 'dictionary changed size during iteration'. The index is
        fresh and its entries frozen: the caller reads it without the lock."""
        with self._lock:
            return self.case.sorted_indicators(), *self.case.seen()

    def timeline_notes_findings(
        self,
    ) -> tuple[list[TimelineEntry], list[Note], list[Finding]]:
        """The timeline's events, the notes and the kept findings, copied under the lock
        (each item is frozen: a shallow copy is a snapshot): what :timeline lists, read
        while a ``K`` on a worker thread may be adding to the timeline."""
        with self._lock:
            return list(self.case.timeline.values()), list(self.case.notes), list(
                self.case.findings)

    def actions(self) -> list[Action]:
        """The account-changing calls attempted, copied under the lock (a worker thread
        adds to them while :timeline reads them)."""
        with self._lock:
            return list(self.case.actions)

    def snapshot(self) -> Case:
        """A copy of the case as it is now, for a thread that reads it whole (an
        export) while the responder marks and notes on the UI thread."""
        with self._lock:
            return copy.deepcopy(self.case)

    def close(self) -> None:
        self.journal.close()
