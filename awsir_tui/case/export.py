"""Exports of a case: indicators as text, CSV and JSON, and a Markdown report.

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
from datetime import UTC, datetime

from awsir_tui.case.indicator import Indicator
from awsir_tui.case.model import Case, TimelineEntry
from awsir_tui.case.secrets import redact, safe_text
from awsir_tui.detect.finding import Finding, severity_rank
from awsir_tui.events.record import Event

FORMATS: tuple[str, ...] = ("txt", "csv", "json", "md")

# Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#|!~])")


def csv_cell(value: object) -> str:
    """A cleaned, secret-free cell that a spreadsheet shows as text, never evaluates (a
    list is one cell, its items joined by ``, ``)."""
    if isinstance(value, list | tuple):
        text = ", ".join(safe_text(item) for item in value)
    else:
        text = safe_text(value)
    return defused(text)


def defused(text: str) -> str:
    """``text`` as a spreadsheet shows it, never runs it (a leading ``'`` when it would
    start a formula: OWASP "CSV injection")."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def md(value: object, max_len: int | None = None) -> str:
    """A cleaned, secret-free value with Markdown metacharacters escaped (no links, HTML
    or tables injected through an attacker's user agent or tag)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", safe_text(value, max_len))


def _utc(value: datetime) -> datetime:
    """``value`` in UTC: a record may carry any offset (``+02:00`` in a foreign or hostile
    file) and a hand-edited case none; printed as it was beside a ``Z`` it would be
    hours off, and the formats would disagree on when things happened."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _when(value: datetime | None) -> str:
    """A time for people and spreadsheets: UTC, to the second, marked ``Z``."""
    return _utc(value).strftime("%Y-%m-%d %H:%M:%SZ") if value else ""


def _iso(value: datetime | None) -> str | None:
    """A time for JSON: ISO 8601 in UTC (the same instant every other format shows)."""
    return _utc(value).isoformat() if value else None


def _where(indicator: Indicator) -> str:
    return "; ".join(s.label() for s in indicator.sightings)


def indicators_txt(case: Case) -> str:
    """One indicator value per line, as the blog's text file."""
    lines = [safe_text(i.value) for i in case.sorted_indicators()]
    return "\n".join(lines) + ("\n" if lines else "")


def indicators_csv(case: Case) -> str:
    """kind, value, first_seen, last_seen, where (sightings joined by ``;``), note."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kind", "value", "first_seen", "last_seen", "where", "note"])
    for i in case.sorted_indicators():
        writer.writerow(
            [
                csv_cell(i.kind),
                csv_cell(i.value),
                csv_cell(_when(i.first_seen)),
                csv_cell(_when(i.last_seen)),
                csv_cell(_where(i)),
                csv_cell(i.note),
            ]
        )
    return out.getvalue()


def indicators_json(case: Case) -> str:
    """The indicators as a JSON array (values as seen; JSON escaping keeps them inert)."""
    data = redact(
        [
            {**i.to_dict(), "first_seen": _iso(i.first_seen), "last_seen": _iso(i.last_seen)}
            for i in case.sorted_indicators()
        ]
    )
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def _timeline(
    case: Case, findings: Sequence[Finding], events: Iterable[Event]
) -> list[TimelineEntry]:
    """Marked events plus the events of the findings, resolved through ``events``."""
    entries = dict(case.timeline)
    flagged: dict[str, str] = {}
    for finding in findings:
        for event_id in finding.event_ids:
            flagged.setdefault(event_id, finding.title)
    for event in events:
        if event.event_id in flagged and event.event_id not in entries:
            entries[event.event_id] = TimelineEntry.of(event, f"flagged: {flagged[event.event_id]}")
    return sorted(entries.values(), key=lambda e: (e.time, e.event_id))


def report_markdown(
    case: Case,
    *,
    identity: str = "",
    regions: Sequence[str] = (),
    findings: Sequence[Finding] | None = None,
    events: Iterable[Event] = (),
) -> str:
    """The case as a Markdown report.

    ``identity`` (the caller's ARN) and ``regions`` are what the app examined;
    ``findings`` default to the ones kept in the case; ``events`` (optional) resolve the
    findings' event IDs into timeline rows.
    """
    kept = list(case.findings if findings is None else findings)
    lines = [
        f"# Incident case: {md(case.name)}",
        "",
        f"- Account: {md(case.account) or 'unknown'}",
        f"- Opened: {_when(case.created)}",
        f"- Identity used: {md(identity) or 'unknown'}",
        f"- Regions examined: {', '.join(md(r) for r in regions) or 'none recorded'}",
        f"- Indicators: {len(case.indicators)}; findings: {len(kept)}; notes: {len(case.notes)}",
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
            "| Kind | Value | First seen | Last seen | Seen in | Note |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {md(i.kind)} | {md(i.value)} | {_when(i.first_seen)} | {_when(i.last_seen)} "
            f"| {md(_where(i), 400)} | {md(i.note)} |"
            for i in case.sorted_indicators()
        ]
    else:
        lines.append("No indicators marked.")
    lines += ["", "## Timeline", ""]
    timeline = _timeline(case, kept, events)
    if timeline:
        lines += [
            "| Time (UTC) | Event | User | Source IP | Region | Why |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {_when(t.time)} | {md(t.event_name)} | {md(t.user)} | {md(t.source_ip)} "
            f"| {md(t.region)} | {md(t.why, 120)} |"
            for t in timeline
        ]
    else:
        lines.append("No marked or flagged events.")
    lines += ["", "## Notes", ""]
    lines += [f"- {_when(n.time)}: {md(n.text)}" for n in case.notes] or ["No notes."]
    return "\n".join(lines) + "\n"


def _findings_table(findings: Sequence[Finding]) -> list[str]:
    ordered = sorted(findings, key=lambda f: (-severity_rank(f.severity), f.title))
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
            writer.writerow([*map(csv_cell, cells), _when(f.first_time), len(f.event_ids)])
        return out.getvalue()
    if fmt == "json":
        data = redact([f.to_dict() for f in findings])
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    if fmt == "md":
        return "\n".join(_findings_table(findings)) + "\n"
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def export_case(
    case: Case,
    fmt: str,
    *,
    identity: str = "",
    regions: Sequence[str] = (),
    findings: Sequence[Finding] | None = None,
    events: Iterable[Event] = (),
) -> str:
    """The export in ``fmt`` (one of :data:`FORMATS`); raises ValueError for another."""
    if fmt == "txt":
        return indicators_txt(case)
    if fmt == "csv":
        return indicators_csv(case)
    if fmt == "json":
        return indicators_json(case)
    if fmt == "md":
        return report_markdown(
            case, identity=identity, regions=regions, findings=findings, events=events
        )
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
