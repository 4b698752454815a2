"""Exports of a case: the whole case (indicators, the findings kept, the timeline and
the notes) as text, CSV and JSON, and as a Markdown report; the same items, in the
same order, with the same times (UTC) in each.

Every value in them may have been written by the attacker, and the files are opened by
people and by spreadsheets. So: text formats pass every string through
:func:`awsir_tui.text.clean` (no terminal escapes, one line per value), CSV cells that a
spreadsheet would run as a formula are defused, Markdown metacharacters are escaped, and
no secret survives: every format is redacted value by value (redacting the encoded text
could break an escaped quote), and before the value is escaped or cut short
(:func:`awsir_tui.case.secrets.safe_text`), which would hide it from the redaction.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from datetime import datetime

from awsir_tui.case.action import Action
from awsir_tui.case.indicator import Indicator
from awsir_tui.case.loaded import Loaded, LoadedCounts
from awsir_tui.case.model import Case, Note, TimelineEntry, seen_spans
from awsir_tui.case.secrets import redact, safe_text
from awsir_tui.case.store import safe_name
from awsir_tui.detect.finding import Finding, severity_rank
from awsir_tui.events.record import Event
from awsir_tui.query.times import as_utc, utc_text
from awsir_tui.text import count_of, inert_json_text

FORMATS: tuple[str, ...] = ("txt", "csv", "json", "md")
#: The indicator values alone (:func:`indicator_values`): no case, but what a sweep of
#: logs reads, ``grep -F -f``; written by ``x`` beside the case's formats.
VALUES = "values"
#: What ``x`` in :indicators writes, each to :func:`export_name`.
EXPORTS: tuple[str, ...] = (*FORMATS, VALUES)

# Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: What a value in the report must not do: end a table cell (``|``), open a link or an
#: image (``[``; ``(`` and ``!`` mean nothing without it), HTML (``<``), code or
#: emphasis, or escape the escapes (``\\``). Nothing else is escaped: ``(IMDSv1?)``
#: in a note reads as typed, in the file as on the rendered page.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def csv_cell(value: object) -> str:
    """A cleaned, secret-free cell that a spreadsheet shows as text, never evaluates (a
    list is one cell, its items joined by ``, ``)."""
    if isinstance(value, list | tuple):
        text = ", ".join(safe_text(item) for item in value)
    else:
        text = safe_text(value)
    return defused(text)


def inert_json(data: object) -> str:
    """``data`` as indented JSON that is safe to ``cat``: readable UTF-8, but with DEL,
    the C1 controls (``\\x9b`` is an 8-bit CSI: ``cat`` the file and it restyles the
    screen) and the invisible characters written as ``\\uXXXX`` escapes
    (:func:`~awsir_tui.text.inert_json_text`), so the values read back exactly as seen
    while the file itself holds no control a terminal would run."""
    return inert_json_text(json.dumps(data, indent=1, ensure_ascii=False)) + "\n"


def defused(text: str) -> str:
    """``text`` as a spreadsheet shows it, never runs it (a leading ``'`` when it would
    start a formula: OWASP "CSV injection")."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def md(value: object, max_len: int | None = None) -> str:
    """A cleaned, secret-free value with what :data:`_MARKDOWN_SPECIAL` names escaped
    (no links, HTML or table cells injected through an attacker's user agent or tag)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", safe_text(value, max_len))


def _iso(value: datetime | None) -> str | None:
    """A time for JSON: ISO 8601 in UTC (the same instant every other format shows)."""
    return as_utc(value).isoformat() if value else None


#: What the exports (and the indicators view) say of a time the case does not know:
#: when the data shows a value marked where no time goes with it (a group in its list),
#: or when an indicator saved before marking times were kept was marked.
NO_TIME = "unknown"


#: What first and last seen cover, for the report's legend and the indicators view.
SEEN_LEGEND = ("when the value appears in the events this case holds (the events marked and "
               "those of the findings kept; as source IP, access key, user, ARN, principal, "
               "event ID or resource), and when the data showed it where it was marked (an "
               "instance's launch, a key pair's creation)")


def seen_text(value: datetime | None) -> str:
    """A time to the second, or :data:`NO_TIME`: how the exports and the case views
    show a case's times."""
    return utc_text(value) or NO_TIME


#: Why a case holds changes no recorded identity made (:meth:`Case.unrecorded_until`).
PREDATES = "the case predates identity tracking"


def unrecorded_text(case: Case) -> str:
    """What the exports say of a case worked before its first recorded identity (empty
    when it was not): ``what was done before <since> (from <first worked>) was done by
    an identity not recorded (the case predates identity tracking)``."""
    until = case.unrecorded_until()
    if until is None:
        return ""
    return (f"what was done before {utc_text(until)} (from {utc_text(case.first_worked())}) "
            f"was done by an identity not recorded ({PREDATES})")


def _investigators(case: Case, identity: str) -> list[tuple[str, str]]:
    """Each identity the case was worked with, ``(arn, since)``, and ``identity`` (the
    app's now) if the case does not hold it yet (since: empty)."""
    found = [(i.arn, utc_text(i.since)) for i in case.investigators]
    if identity and all(arn != identity for arn, _ in found):
        found.append((identity, ""))
    return found


#: What an account read from the events' records is followed by, where it is given.
FROM_EVENTS = " (from the events' records: the case has no AWS identity)"


def account_of(case: Case, timeline: Sequence[TimelineEntry]) -> tuple[str, str]:
    """``(account, whence)``: the case's account (its AWS identity's; whence empty),
    else the accounts the timeline's records name, joined by ``, `` (whence
    :data:`FROM_EVENTS`: a case opened on archives alone has no identity, but every
    record names its account), else ``("", "")``."""
    if case.account:
        return case.account, ""
    found = sorted({t.account for t in timeline} - {""})
    return (", ".join(found), FROM_EVENTS) if found else ("", "")


def journal_name(case: Case) -> str:
    """The file name of the journal of every AWS call of the case (the store's)."""
    return f"{safe_name(case.name)}.journal.jsonl"


def journal_file(case: Case) -> str:
    """How an export names the journal when its caller does not say where it is: the
    file beside the case file. The callers that write or print an export say better
    (:func:`journal_in_folder`, or an absolute path): someone handed the export alone
    cannot tell where the case file was."""
    return f"{journal_name(case)}, beside the case file"


def journal_in_folder(name: str) -> str:
    """How the exports name the journal copied beside them, as ``name``."""
    return f"{name}, in this folder"


#: How the exports name the journal of a case that has none: no AWS call was made.
NO_JOURNAL = "none (no AWS call journaled for this case)"


def _action_cells(action: Action) -> tuple[str, ...]:
    """An action's fields in the order the text export and the report write them."""
    return (utc_text(action.time), action.operation, action.resource, action.outcome_text,
            action.created, action.region, action.who)


#: The header of the actions' section: what each line holds.
_ACTION_FIELDS = "time, operation, acted on, outcome, created, region, who"


def _where(indicator: Indicator) -> str:
    return "; ".join(s.label() for s in indicator.sightings)


def _loaded_times(loaded: Loaded | None) -> tuple[str, str, str]:
    """An indicator's loaded events as the text formats write them: how many, their
    first and last time (:data:`NO_TIME` when none is dated); empty when it has no
    count (its kind has no pivot to the events)."""
    if loaded is None:
        return "", "", ""
    return str(loaded.count), seen_text(loaded.first), seen_text(loaded.last)


#: The CSV's columns of the loaded events naming an indicator (:func:`case_csv`), last.
LOADED_COLUMNS: tuple[str, ...] = ("loaded_events", "loaded_first", "loaded_last",
                                   "loaded_from")


def _findings_in_order(findings: Iterable[Finding]) -> list[Finding]:
    """Worst first, then by title: the order of every format's findings."""
    return sorted(findings, key=lambda f: (-severity_rank(f.severity), f.title))


def _notes_in_order(case: Case) -> list[Note]:
    """Oldest first (stable: notes written in the same second keep their order)."""
    return sorted(case.notes, key=lambda n: as_utc(n.time))


def _line(*parts: object) -> str:
    """One clean, secret-free line of a text export: the parts two spaces apart, an
    empty one shown as ``-`` so that a reader can still count them."""
    return "  ".join(safe_text(part) or "-" for part in parts)


def export_name(stem: str, fmt: str) -> str:
    """The file ``fmt`` of the case ``stem`` is written to: ``<case>.<fmt>``, and the
    values ``<case>-values.txt`` (a text file, and no case: ``<case>.txt`` is that)."""
    return f"{stem}-values.txt" if fmt == VALUES else f"{stem}.{fmt}"


def indicator_values(case: Case) -> str:
    """The indicator values, one per line and nothing else, for ``grep -F -f``: each
    once (an address marked as an IP and as a word is one pattern), in the case's
    order, cleaned as every text export is, and no blank line (a blank pattern matches
    every line). Meant as fixed strings: read as regular expressions (``grep -f``), the
    tag ``[bold red]x[/] [/`` an attacker wrote stops the sweep (``Unmatched [``) and
    the dots of an address match any character."""
    values = dict.fromkeys(safe_text(i.value) for i in case.sorted_indicators())
    lines = [value for value in values if value.strip()]
    return "\n".join(lines) + ("\n" if lines else "")


def case_txt(
    case: Case,
    findings: Sequence[Finding],
    timeline: Sequence[TimelineEntry],
    *,
    journal: str,
    loaded: LoadedCounts | None = None,
) -> str:
    """The case as plain text, one clean line per item.

    The indicator values come first, one per line: the blog's text file, to read (for a
    sweep of logs, ``<case>-values.txt`` holds them alone: :func:`indicator_values`;
    here the timeline's lines after them would be patterns too). Then the
    kept findings, the timeline, the account-changing calls attempted, the notes, the
    indicators again with their times and sightings (with ``loaded``, under a line
    naming the archives and store it was counted in, and the loaded events naming each:
    how many, their first and last time), the notes on indicators (which
    the bare values cannot carry) and the identities the case was worked with (the
    chain of custody: each since when, and a last ``# `` line when the case was worked
    before the first of them), each
    section under a line that starts with ``# `` and says how many; an empty section
    is left out (the actions' line names ``journal``, the file of every AWS call). A time
    the case does not know is :data:`NO_TIME`. No blank line anywhere.
    """
    indicators = case.sorted_indicators()
    lines = [safe_text(i.value) for i in indicators]
    if findings:
        lines.append(f"# {count_of(len(findings), 'finding')} kept")
        lines += [
            _line(f.severity, f.technique, f"{f.title}: {f.summary}",
                  f"{count_of(len(f.event_ids), 'event')}: {', '.join(f.event_ids)}")
            for f in _findings_in_order(findings)
        ]
    if timeline:
        lines.append(f"# {count_of(len(timeline), 'event')} on the timeline (UTC): time, event, "
                     "outcome, user, caller ARN, access key, source IP, account, region, "
                     "event ID, why, request")
        lines += [
            _line(utc_text(t.time), t.event_name, t.outcome_text, t.user, t.user_arn,
                  t.access_key, t.source_ip, t.account, t.region, t.event_id, t.why, t.request)
            for t in timeline
        ]
    if case.actions:
        lines.append(f"# {count_of(len(case.actions), 'account-changing call')} attempted "
                     f"(UTC; every AWS call in {safe_text(journal)}): "
                     f"{_ACTION_FIELDS}")
        lines += [_line(*_action_cells(a)) for a in case.actions]
    notes = _notes_in_order(case)
    if notes:
        lines.append(f"# {count_of(len(notes), 'note')}")
        lines += [_line(utc_text(n.time), n.text) for n in notes]
    if indicators:
        if loaded is not None:
            lines.append(f"# loaded events naming the indicators counted in: "
                         f"{safe_text(loaded.said())}")
        lines.append(f"# {count_of(len(indicators), 'indicator')}: first and last seen in "
                     "the events this case holds, marked at (UTC), seen in"
                     + (", loaded events naming it, their first and last (UTC)"
                        if loaded is not None else ""))
        spans = seen_spans(indicators, timeline)
        lines += [
            _line(i.kind, i.value, *map(seen_text, spans[i.key]), seen_text(i.marked), _where(i),
                  *(_loaded_times(loaded.of(i)) if loaded is not None else ()))
            for i in indicators
        ]
    noted = case.noted_indicators()
    if noted:
        lines.append(f"# {count_of(len(noted), 'note')} on indicators")
        lines += [_line(i.kind, i.value, i.note) for i in noted]
    if case.sources:
        lines.append(f"# {count_of(len(case.sources), 'source')} of events read: kind, "
                     "where, since (UTC)")
        lines += [_line(source.kind, source.where, utc_text(source.since))
                  for source in case.sources]
    account, whence = account_of(case, timeline)
    if account:
        lines.append(f"# account: {safe_text(account)}{whence}")
    used = case.investigators
    if used:
        lines.append(f"# {len(used)} {'identity' if len(used) == 1 else 'identities'} used: "
                     "ARN, account, since (UTC)")
        lines += [_line(i.arn, i.account, utc_text(i.since)) for i in used]
        if unrecorded := unrecorded_text(case):
            lines.append(f"# {unrecorded}")
    return "\n".join(lines) + ("\n" if lines else "")


#: The CSV's columns. One table for the whole case, a row per item, the ``record``
#: column saying which kind of item (``indicator``, ``finding``, ``event``, ``note``, and
#: ``identity``, each identity the case was worked with, since ``time``, and for a case
#: worked before the first of them, first, one whose ``value`` says it is not recorded,
#: from ``time`` until ``last_time``) so
#: that a spreadsheet filters on it and a SIEM maps each kind; the other columns mean
#: the same on every row that has them:
#: ``time``/``last_time`` when it was first/last seen (an event's time, a finding's
#: first and last event, a note's writing; for an indicator when the data shows it,
#: ``unknown`` when it was marked where no time goes with it); ``marked`` when an
#: indicator was first marked (``unknown`` in one saved before that was kept);
#: ``kind``/``value`` an indicator kind and value (an event row's value is its event
#: ID, kind ``event-id``; a finding's its rule);
#: ``user``/``user_arn``/``access_key``/``source_ip``/``account`` who made an event's call
#: (the account the record names); a ``source`` row is an archive or store the case read
#: events from (``kind`` which, ``value`` where, ``time`` since when);
#: ``name`` an event's name or a finding's title; ``outcome`` how an event's call ended
#: (its error code, ``ok``, or ``unknown``) and ``request`` what it asked for;
#: ``summary`` a finding's summary and ``event_ids`` its events, joined by ``; ``;
#: ``why`` why an event is on the timeline; an ``action`` row is an account-changing
#: call attempted (``name`` the operation, ``value`` what it acted on, ``outcome`` ok,
#: its error code, declined or refused, ``summary`` what it created, ``user_arn`` who;
#: its ``why`` the sentence the timeline's pane says); the last row of a case with
#: actions, ``journal``, names the file of every AWS call in ``value``; ``where`` an
#: indicator's sightings, joined by ``; ``; ``note`` the indicator's note, or the note
#: itself. (A column holds one kind of thing: a filter on ``note`` finds the
#: responder's notes, nothing else.) With events loaded, :data:`LOADED_COLUMNS` follow.
CSV_COLUMNS: tuple[str, ...] = (
    "record", "time", "last_time", "marked", "kind", "value", "name", "outcome", "request",
    "region", "account", "user", "user_arn", "access_key", "source_ip", "severity",
    "technique", "summary",
    "event_ids", "why", "where", "note",
)


def case_csv(
    case: Case,
    findings: Sequence[Finding],
    timeline: Sequence[TimelineEntry],
    *,
    journal: str,
    loaded: LoadedCounts | None = None,
) -> str:
    """The whole case as one CSV table (:data:`CSV_COLUMNS`): indicators, then the kept
    findings, the timeline's events and the notes, each in the order of the report
    (and, with actions, a ``journal`` row naming ``journal``). With ``loaded``, the
    :data:`LOADED_COLUMNS` too: on each indicator's row how many loaded events name it,
    their first and last time, and the archives and store they were counted in (empty
    for a kind with no pivot to the events)."""
    out = io.StringIO()
    columns = CSV_COLUMNS + (LOADED_COLUMNS if loaded is not None else ())
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    spans = seen_spans(case.indicators.values(), timeline)
    rows: list[dict[str, object]] = [
        {"record": "indicator", "time": seen_text(spans[i.key][0]),
         "last_time": seen_text(spans[i.key][1]), "marked": seen_text(i.marked), "kind": i.kind,
         "value": i.value, "where": _where(i), "note": i.note, **_loaded_cells(loaded, i)}
        for i in case.sorted_indicators()
    ]
    rows += [
        {"record": "finding", "time": utc_text(f.first_time), "last_time": utc_text(f.last_time),
         "value": f.rule_id, "name": f.title, "severity": f.severity,
         "technique": f.technique, "summary": f.summary, "event_ids": "; ".join(f.event_ids)}
        for f in _findings_in_order(findings)
    ]
    rows += [
        {"record": "event", "time": utc_text(t.time), "kind": "event-id", "value": t.event_id,
         "name": t.event_name, "outcome": t.outcome_text, "request": t.request,
         "region": t.region, "account": t.account, "user": t.user, "user_arn": t.user_arn,
         "access_key": t.access_key, "source_ip": t.source_ip, "why": t.why}
        for t in timeline
    ]
    rows += [
        {"record": "action", "time": utc_text(a.time), "name": a.operation,
         "value": a.resource, "outcome": a.outcome_text, "summary": a.created,
         "region": a.region, "user_arn": a.who, "why": a.text}
        for a in case.actions
    ]
    rows += [
        {"record": "source", "time": utc_text(source.since), "kind": source.kind,
         "value": source.where}
        for source in case.sources
    ]
    rows += [
        {"record": "note", "time": utc_text(n.time), "note": n.text} for n in _notes_in_order(case)
    ]
    until = case.unrecorded_until()
    if until is not None:
        rows.append({"record": "identity", "time": utc_text(case.first_worked()),
                     "last_time": utc_text(until), "value": f"not recorded ({PREDATES})"})
    rows += [
        {"record": "identity", "time": utc_text(i.since), "kind": "arn", "value": i.arn,
         "account": i.account}
        for i in case.investigators
    ]
    if case.actions:
        rows.append({"record": "journal", "value": journal})
    for row in rows:
        writer.writerow({column: csv_cell(value) for column, value in row.items()})
    return out.getvalue()


def _loaded_cells(loaded: LoadedCounts | None, indicator: Indicator) -> dict[str, str]:
    """The :data:`LOADED_COLUMNS` of ``indicator``'s CSV row (none without a count)."""
    counted = loaded.of(indicator) if loaded is not None else None
    if loaded is None or counted is None:
        return {}
    return {**dict(zip(LOADED_COLUMNS[:3], _loaded_times(counted), strict=True)),
            "loaded_from": loaded.said()}


def _loaded_json(loaded: LoadedCounts | None, indicator: Indicator) -> dict[str, object]:
    """``loaded_events``, ``loaded_first``, ``loaded_last`` of ``indicator`` (null
    without a count; none of them without ``loaded``)."""
    if loaded is None:
        return {}
    counted = loaded.of(indicator)
    if counted is None:
        return dict.fromkeys(LOADED_COLUMNS[:3])
    return {"loaded_events": counted.count, "loaded_first": _iso(counted.first),
            "loaded_last": _iso(counted.last)}


def case_json(
    case: Case,
    findings: Sequence[Finding],
    timeline: Sequence[TimelineEntry],
    *,
    journal: str,
    identity: str = "",
    loaded: LoadedCounts | None = None,
) -> str:
    """The whole case as one JSON object: what it is (name, account, when opened, the
    identity used, every identity with since when, ``unrecorded_identity`` from and
    until when the case was worked by an identity it did not record (null when it was
    not), the ``regions_read`` from AWS and, apart, the ``evidence_regions``
    its events and indicators are in) and its ``indicators``, ``findings``,
    ``timeline``, ``notes``, the ``actions`` (every account-changing call attempted)
    and the ``journal`` file of every AWS call, in
    the other formats' order, times in UTC (null: a time the case does not know), every
    string redacted (values as seen: JSON escaping keeps them inert). With ``loaded``,
    ``loaded_from`` names the archives and store the loaded events were counted in
    (``loaded_so_far``: while the load still ran; ``loaded_coverage``: the verdict of
    what was loaded, ``COMPLETE`` or ``PARTIAL: …``) and each indicator has
    ``loaded_events``, ``loaded_first`` and ``loaded_last`` (null for a kind with no
    pivot to the events). The UI's ``place`` is left out: it is no evidence."""
    account, whence = account_of(case, timeline)
    spans = seen_spans(case.indicators.values(), timeline)
    data = {
        "case": case.name,
        "account": account,
        "account_from": ("events" if whence else "identity") if account else "",
        "sources": [
            {"kind": source.kind, "where": source.where, "since": _iso(source.since)}
            for source in case.sources
        ],
        **({"loaded_from": loaded.where, "loaded_so_far": loaded.so_far,
            "loaded_coverage": loaded.coverage}
           if loaded is not None else {}),
        "created": _iso(case.created),
        "identity": identity or (case.investigators[-1].arn if case.investigators else ""),
        "identities": [
            {"arn": i.arn, "account": i.account, "since": _iso(i.since)}
            for i in case.investigators
        ],
        "unrecorded_identity": _unrecorded_json(case),
        "regions_read": case.regions_read_list(),
        "evidence_regions": _evidence_regions(case, timeline),
        "indicators": [
            {**i.to_dict(), "first_seen": _iso(spans[i.key][0]),
             "last_seen": _iso(spans[i.key][1]),
             "marked": _iso(i.marked), **_loaded_json(loaded, i)}
            for i in case.sorted_indicators()
        ],
        "findings": [
            {**f.to_dict(), "first_time": _iso(f.first_time), "last_time": _iso(f.last_time)}
            for f in _findings_in_order(findings)
        ],
        "timeline": [
            {**t.to_dict(), "time": _iso(t.time), "outcome": t.outcome_text} for t in timeline
        ],
        "notes": [{"time": _iso(n.time), "text": n.text} for n in _notes_in_order(case)],
        "actions": [
            {**a.to_dict(), "time": _iso(a.time), "outcome": a.outcome_text, "text": a.text}
            for a in case.actions
        ],
        "journal": journal,
    }
    return inert_json(redact(data))


def _unrecorded_json(case: Case) -> dict[str, str | None] | None:
    """``{"from", "until", "why"}`` for a case worked before its first recorded identity."""
    until = case.unrecorded_until()
    if until is None:
        return None
    return {"from": _iso(case.first_worked()), "until": _iso(until), "why": PREDATES}


def _timeline(
    case: Case, findings: Sequence[Finding], events: Iterable[Event]
) -> list[TimelineEntry]:
    """Marked events plus the events of the findings, resolved through ``events``, each
    with every reason it is there (marked, and flagged by each finding)."""
    entries = dict(case.timeline)
    flagged: dict[str, list[str]] = {}
    for finding in findings:
        for event_id in finding.event_ids:
            flagged.setdefault(event_id, []).append(f"flagged: {finding.title}")
    for event in events:
        if event.event_id in flagged and event.event_id not in entries:
            entries[event.event_id] = TimelineEntry.of(event, flagged[event.event_id][0])
    for event_id, reasons in flagged.items():
        for reason in reasons if event_id in entries else ():
            entries[event_id] = entries[event_id].because(reason)
    return sorted(entries.values(), key=lambda e: (e.time, e.event_id))


#: What the report says when the case records no region read: the app made no
#: successful EC2 or CloudTrail read (an archive-only session), or the case predates
#: the record and was not opened in the app since.
_NONE_READ = "none (no EC2 or CloudTrail read in the case's journal)"
#: What the report says when the case records no archive or store read: the AWS APIs
#: only, unless the case predates the record (then it cannot say).
_NO_SOURCES = "the AWS APIs only (no archive or store read)"
_SOURCES_UNRECORDED = "unknown (the case predates the record of the archives it read)"


def _no_sources(case: Case) -> str:
    return _SOURCES_UNRECORDED if case.unrecorded_until() is not None else _NO_SOURCES


def _regions_read_md(case: Case) -> str:
    """``eu-west-1 (EC2, Event history), us-east-1 (EC2)``, each name escaped, or empty."""
    return ", ".join(
        f"{md(read['region'])} ({', '.join(md(w) for w in read['read'])})"
        for read in case.regions_read_list()
    )


def _evidence_regions(case: Case, timeline: Sequence[TimelineEntry]) -> list[str]:
    """The regions the timeline's events and the indicators' sightings are in, sorted:
    where the evidence is, read from AWS or from an archive. A record's region is
    whatever the record says (an archive can name regions that do not exist), so it
    is never reported as a region examined."""
    regions = {entry.region for entry in timeline}
    regions |= {s.region for i in case.indicators.values() for s in i.sightings}
    return sorted(regions - {""})


def report_markdown(
    case: Case,
    *,
    journal: str,
    identity: str = "",
    findings: Sequence[Finding] | None = None,
    events: Iterable[Event] = (),
    loaded: LoadedCounts | None = None,
) -> str:
    """The case as a Markdown report.

    ``journal`` names the journal of every AWS call; ``identity`` is the caller's ARN;
    ``findings`` default to the ones kept in the case; ``events`` (optional) resolve the
    findings' event IDs into timeline rows; ``loaded``: the loaded events naming each
    indicator (where they were counted in the summary, and three columns more).
    The app's region selection is not in it: a region selected is not a region
    examined (the TUI's selection fell back to its home region in a session that read
    only archives). The report says instead which regions the app read (the case notes
    them from its call journal) and, apart, which regions the evidence is in.
    """
    kept = list(case.findings if findings is None else findings)
    timeline = _timeline(case, kept, events)
    used = _investigators(case, identity)
    identities = ", ".join(
        f"{md(arn)} (since {since or 'this export: not yet in the case file'})"
        for arn, since in used
    )
    unrecorded = unrecorded_text(case)
    account, whence = account_of(case, timeline)
    sources = ", ".join(f"{md(s.kind)} {md(s.where)} (since {utc_text(s.since)})"
                        for s in case.sources)
    lines = [
        f"# Incident case: {md(case.name)}",
        "",
        f"- Account: {md(account) or 'unknown'}{md(whence)}",
        f"- Events read from: {sources or _no_sources(case)}",
        *([f"- Loaded events naming the indicators counted in: {md(loaded.said())}"]
          if loaded is not None else []),
        f"- Opened: {utc_text(case.created)}",
        f"- {'Identities' if len(used) > 1 else 'Identity'} used: {identities or 'unknown'}",
        *([f"- {unrecorded[:1].upper()}{unrecorded[1:]}"] if unrecorded else []),
        f"- Regions read from AWS: {_regions_read_md(case) or _NONE_READ}",
        "- Regions of the events and indicators: "
        f"{', '.join(md(r) for r in _evidence_regions(case, timeline)) or 'none'}",
        f"- Indicators: {len(case.indicators)}; findings: {len(kept)}; notes: "
        f"{len(case.notes)} on the case, {len(case.noted_indicators())} on indicators",
        f"- Journal of every AWS call: {md(journal)}",
        "",
        "## Findings",
        "",
    ]
    if kept:
        lines += _findings_table(kept)
    else:
        lines.append("No findings kept.")
    lines += ["", "## Indicators", ""]
    if case.indicators:
        lines += [
            f"First and last seen: {SEEN_LEGEND}; unknown when none of them names it and it "
            "was marked where no time goes with it (a security group, a details page). "
            "Marked at: when the responder marked it (unknown in a case saved before that "
            "was kept)."
            + (" Loaded events: how many of the events loaded in the app name it (those its "
               ":events pivot lists), and the first and last of them; empty for a kind with "
               "no pivot to the events." if loaded is not None else ""),
            "",
            "| Kind | Value | First seen | Last seen | Marked at | Seen in | Note |"
            + (" Loaded events | Loaded first | Loaded last |" if loaded is not None else ""),
            "|---|---|---|---|---|---|---|" + ("---|---|---|" if loaded is not None else ""),
        ]
        spans = seen_spans(case.indicators.values(), timeline)
        lines += [
            f"| {md(i.kind)} | {md(i.value)} | {seen_text(spans[i.key][0])} "
            f"| {seen_text(spans[i.key][1])} | {seen_text(i.marked)} | {md(_where(i), 400)} "
            f"| {md(i.note)} |"
            + ("".join(f" {cell} |" for cell in _loaded_times(loaded.of(i)))
               if loaded is not None else "")
            for i in case.sorted_indicators()
        ]
    else:
        lines.append("No indicators marked.")
    lines += ["", "## Timeline", ""]
    if timeline:
        lines += [
            "| Time (UTC) | Event | Outcome | Request | Event ID | User | Caller ARN "
            "| Access key | Source IP | Account | Region | Why |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {utc_text(t.time)} | {md(t.event_name)} | {md(t.outcome_text)} "
            f"| {md(t.request)} | {md(t.event_id)} | {md(t.user)} | {md(t.user_arn)} "
            f"| {md(t.access_key)} | {md(t.source_ip)} | {md(t.account)} | {md(t.region)} "
            f"| {md(t.why)} |"
            for t in timeline
        ]
    else:
        lines.append("No marked or flagged events.")
    lines += ["", "## Notes", ""]
    lines += [f"- {utc_text(n.time)}: {md(n.text)}" for n in _notes_in_order(case)] or [
        "No notes on the case."
    ]
    if noted := case.noted_indicators():
        lines += ["", "On indicators:", ""]
        lines += [f"- {md(i.kind)} {md(i.value)}: {md(i.note)}" for i in noted]
    lines += ["", "## Account-changing calls", ""]
    if case.actions:
        lines += ["| Time (UTC) | Operation | Acted on | Outcome | Created | Region | Who |",
                  "|---|---|---|---|---|---|---|"]
        lines += ["| " + " | ".join(md(cell) for cell in _action_cells(a)) + " |"
                  for a in case.actions]
    else:
        lines.append("None attempted.")
    return "\n".join(lines) + "\n"


def _findings_table(findings: Sequence[Finding]) -> list[str]:
    ordered = _findings_in_order(findings)
    lines = ["| Severity | Technique | Finding | Events | Summary |", "|---|---|---|---|---|"]
    lines += [
        f"| {md(f.severity)} | {md(f.technique)} | {md(f.title)} | {len(f.event_ids)} "
        f"| {md(f.summary, 300)} |"
        for f in ordered
    ]
    return lines


def export_findings(findings: Sequence[Finding], fmt: str) -> str:
    """Findings for the headless ``findings`` command: ``txt`` (one per line), ``csv``,
    ``json`` or ``md`` (a table); raises ValueError for another format."""
    if fmt == "txt":
        lines = [
            safe_text(f"{f.severity:<13} {f.technique:<10} {f.title}: {f.summary}")
            for f in findings
        ]
        return "\n".join(lines) + ("\n" if lines else "")
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        columns = ["severity", "technique", "rule_id", "title", "summary", "first_time", "events"]
        writer.writerow(columns)
        for f in findings:
            cells = [f.severity, f.technique, f.rule_id, f.title, f.summary]
            writer.writerow([*map(csv_cell, cells), utc_text(f.first_time), len(f.event_ids)])
        return out.getvalue()
    if fmt == "json":
        data = redact([f.to_dict() for f in findings])
        return inert_json(data)
    if fmt == "md":
        return "\n".join(_findings_table(findings)) + "\n"
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def export_case(
    case: Case,
    fmt: str,
    *,
    identity: str = "",
    findings: Sequence[Finding] | None = None,
    events: Iterable[Event] = (),
    journal: str = "",
    loaded: LoadedCounts | None = None,
) -> str:
    """The whole case (indicators, kept findings, timeline, notes) in ``fmt``, one of
    :data:`FORMATS`, or its indicator values alone (:data:`VALUES`); raises ValueError
    for another. ``findings`` default to the ones kept in the case; ``events``
    (optional) resolve their event IDs into timeline rows; ``journal`` is how the
    export names the journal of every AWS call (by default :func:`journal_file`: this
    module reads no files, so its caller says where the journal is). Every format
    holds the same items in the same order; with ``loaded`` (the TUI's, with events
    loaded), the loaded events naming each indicator, and where they were counted."""
    kept = list(case.findings if findings is None else findings)
    journal = journal or journal_file(case)
    if fmt == VALUES:
        return indicator_values(case)
    if fmt == "txt":
        return case_txt(case, kept, _timeline(case, kept, events), journal=journal,
                        loaded=loaded)
    if fmt == "csv":
        return case_csv(case, kept, _timeline(case, kept, events), journal=journal,
                        loaded=loaded)
    if fmt == "json":
        return case_json(case, kept, _timeline(case, kept, events), journal=journal,
                         identity=identity, loaded=loaded)
    if fmt == "md":
        return report_markdown(case, journal=journal, identity=identity, findings=findings,
                               events=events, loaded=loaded)
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORTS)}")
