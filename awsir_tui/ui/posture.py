"""`:posture`: is CloudTrail recording each region, and which VPCs have no flow logs.

Before trusting "no events" or "no traffic", a responder must know where the account
is blind. One row per selected region, filled in as each region answers; gaps (no
logging trail, VPCs without flow logs, a part that could not be read) are in red or
yellow. Enter opens the region's details: every trail with its status and selectors,
the VPCs without flow logs, and the AWS CLI commands that would close each gap. The
app never runs those: switching logging on changes the account, and that is the
responder's call.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import DataTable, Static

from awsir_tui.aws.errors import Failure
from awsir_tui.aws.posture import (
    BUCKET_VARIABLE,
    RegionPosture,
    TrailPosture,
    needs_bucket,
    remedies,
    remedy_script,
    scan_posture,
)
from awsir_tui.query.times import utc_stamp
from awsir_tui.text import clean, count_of
from awsir_tui.ui.base import TableView, TextScroll, View, app_of, cell
from awsir_tui.ui.ec2_common import no_regions_reason
from awsir_tui.ui.yank import yank

GAP = "bold red"
UNKNOWN = "yellow"
GOOD = "green"


def _yes_no(value: bool | None, failure: Failure | None = None) -> Text:
    if failure is not None:
        return cell(failure.kind.value, style=UNKNOWN)
    if value is None:
        return cell("?", style=UNKNOWN)
    return cell("yes", style=GOOD) if value else cell("NO", style=GAP)


def _multi_region(posture: RegionPosture) -> Text:
    """The multi-reg column (:attr:`RegionPosture.multi_region_word`), or why the
    trails were not read."""
    word = posture.multi_region_word
    if word is None:
        return _yes_no(None, posture.trail_failure)
    return cell(word, style=GOOD if word == "yes" else GAP)


def region_row(region: str, posture: RegionPosture | None, failure: Failure | None) -> list[Text]:
    """One table row: region, CloudTrail logging, multi-region, trails, VPCs w/o flow logs."""
    if posture is None:
        state = cell(failure.kind.value if failure else "\u2026", style=UNKNOWN)
        note = cell(failure.message if failure else "loading", style=UNKNOWN)
        return [cell(region), state, state, cell(""), state, note]
    if posture.vpc_failure is not None:
        vpcs = cell(posture.vpc_failure.kind.value, style=UNKNOWN)
    else:
        missing = len(posture.vpcs_without_flow_logs)
        vpcs = cell(f"{missing} of {len(posture.vpcs)}", style=GAP if missing else GOOD)
    problems = [str(f) for f in (posture.trail_failure, posture.vpc_failure) if f]
    problems += [f"{t.name}: {t.problem}" for t in posture.trails if t.problem]
    note_text = "; ".join(problems) or ("gaps: Enter" if posture.has_gap else "ok")
    return [
        cell(region),
        _yes_no(posture.cloudtrail_logging, posture.trail_failure),
        _multi_region(posture),
        cell(len(posture.trails) if posture.trail_failure is None else ""),
        vpcs,
        cell(note_text, style=UNKNOWN if problems else ("" if not posture.has_gap else GAP)),
    ]


def _trail_lines(text: Text, trail: TrailPosture) -> None:
    scope = "multi-region" if trail.multi_region else f"single-region ({trail.home_region})"
    if trail.organization:
        scope += ", organization"
    text.append(f"  {clean(trail.name, 60)}", style="bold")
    text.append(f"  {scope}\n")
    style = {True: GOOD, False: GAP, None: UNKNOWN}[trail.is_logging]
    text.append(f"    {trail.logging_said}", style=style)
    # In Z as every other time the tool writes (isoformat wrote ``+00:00``).
    delivered = utc_stamp(trail.latest_delivery) if trail.latest_delivery else "never"
    text.append(f"; last delivery {delivered}")
    if trail.latest_delivery_error:
        text.append(f"; delivery error {clean(trail.latest_delivery_error, 80)}", style=GAP)
    text.append("\n")
    read = "read" if trail.management_read else "NO read"
    write = "write" if trail.management_write else "NO write"
    text.append(
        f"    management events: {read}, {write}",
        style="" if trail.management_write else GAP,
    )
    text.append(f"; data events: {'yes' if trail.data_events else 'no'}\n")
    text.append(
        f"    log file validation: {'on' if trail.log_file_validation else 'OFF'}",
        style="" if trail.log_file_validation else UNKNOWN,
    )
    text.append(f"; S3: {clean(trail.s3_bucket, 60) or '-'}\n")
    text.append(f"    CloudWatch Logs: {clean(trail.cloudwatch_logs, 100) or 'none'}\n")
    if trail.problem:
        text.append(f"    could not read: {clean(trail.problem, 200)}\n", style=UNKNOWN)


def details_text(posture: RegionPosture) -> Text:
    """Everything known about one region's logging, and the commands to close its gaps."""
    text = Text()
    text.append(f"{posture.region}\n", style="bold")
    text.append(posture.verdict() + "\n\n", style=GAP if posture.has_gap else GOOD)
    text.append("CloudTrail trails recording this region\n", style="bold underline")
    if posture.trail_failure is not None:
        text.append(f"  could not read: {posture.trail_failure}\n", style=UNKNOWN)
    elif not posture.trails:
        text.append("  none: API activity in this region is not being recorded\n", style=GAP)
    for trail in posture.trails:
        _trail_lines(text, trail)
    text.append("\nVPC Flow Logs\n", style="bold underline")
    if posture.vpc_failure is not None:
        text.append(f"  could not read: {posture.vpc_failure}\n", style=UNKNOWN)
    for vpc in posture.vpcs:
        label = f"  {clean(vpc.vpc_id, 40)} {clean(vpc.cidr, 20)} {clean(vpc.name, 30)}"
        if vpc.is_default:
            label += " (default)"
        if vpc.covered:
            text.append(f"{label}: flow log {', '.join(vpc.flow_logs)}\n", style=GOOD)
        else:
            logged = vpc.partial_flow_logs
            partial = f" ({count_of(logged, 'subnet')} logged)" if logged else ""
            text.append(f"{label}: NO FLOW LOG{partial}\n", style=GAP)
    fixes = remedies(posture)
    if fixes:
        text.append(
            "\nTo close the gaps (not run by awsir-tui; these change the account)\n",
            style="bold underline",
        )
        if needs_bucket(fixes):
            text.append(f"  (set {BUCKET_VARIABLE} to the S3 bucket for the logs first; "
                        "y copies these commands)\n", style="dim")
        for fix in fixes:
            text.append(f"  # {clean(fix.gap, 120)}\n", style="bold")
            for command in fix.commands:
                text.append(f"  {clean(command)}\n")
    return text


def _unread(posture: RegionPosture) -> bool:
    """Neither the trails nor the VPCs could be read (denied, unreachable): the region
    was asked, not checked, and its "gap" is only that."""
    return posture.trail_failure is not None and posture.vpc_failure is not None


def _gaps_said(checked: int, gaps: int, pending: int, failed: int) -> tuple[str, str]:
    """The summary's verdict and its style. "No gaps" only of regions that answered: of
    none (every region denied or throttled) it read as an account that logs everything,
    when nothing was seen; of some, it is said of those alone."""
    if gaps:
        return f"; {gaps} with gaps", GAP
    if not checked:
        return ("; nothing checked yet", UNKNOWN) if pending else ("; nothing checked", GAP)
    if pending or failed:
        return f"; no gaps in the {checked} checked", UNKNOWN
    return "; no gaps", GOOD


class PostureDetailView(View):
    """One region's trails, selectors, VPCs and the commands to close the gaps."""

    help_text = """
One region's logging posture: every CloudTrail trail that records it (status, last
delivery, management/data event selectors, log file validation, S3 bucket, CloudWatch
Logs), every VPC with or without an active flow log, and the AWS CLI commands a
responder could run to close each gap. awsir-tui never runs them.
"""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "yank", "Yank commands", id="posture.yank"),
    ]

    def __init__(self, posture: RegionPosture) -> None:
        super().__init__()
        self.posture = posture
        self.crumb = f"posture {posture.region}"

    def action_yank(self) -> None:
        """y: the commands that close the gaps, whole, one per line with the gap each
        closes as a comment: on screen they wrap, and a copy from the terminal splits
        each command over several lines."""
        if not remedies(self.posture):
            self.notify("no gap to close in this region: nothing to copy")
            return
        yank(self, remedy_script([self.posture]), f"the commands for {self.posture.region}", "sh")

    def compose_body(self) -> Iterable[Widget]:
        with TextScroll(id="posture-detail-scroll"):
            yield Static(details_text(self.posture), id="posture-detail")

    def on_mount(self) -> None:
        self.query_one(TextScroll).focus()


class PostureView(TableView):
    """Per-region logging posture; Enter for a region's details, r to re-check."""

    crumb = "posture"
    help_text = """
Logging posture of each selected region: is some CloudTrail trail logging it (and
recording write management events), does a multi-region trail cover it, and how many
VPCs have no active flow log. Gaps are red; parts that could not be read (denied,
throttled) are yellow and named. Enter shows a region's trails, selectors, uncovered
VPCs and the AWS CLI commands that would close the gaps (never run by awsir-tui).
"""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "details", "Details", id="posture.details", priority=True),
        Binding("r", "reload", "Re-check", id="posture.reload"),
        Binding("y", "yank_row", "Yank", id="posture.row_yank", show=False),
    ]
    DEFAULT_CSS = """
    PostureView #posture-table { height: 1fr; }
    PostureView #posture-summary {
        height: auto; max-height: 3; text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.results: dict[str, tuple[RegionPosture | None, Failure | None]] = {}
        self._order: list[str] = []

    def compose_body(self) -> Iterable[Widget]:
        yield DataTable(id="posture-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="posture-summary")

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(
            "region", "CloudTrail", "multi-reg", "trails", "no flow log", "notes"
        )
        self.action_reload()

    def on_regions_changed(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self._order = sorted(app_of(self).regions)
        self.results = {region: (None, None) for region in self._order}
        self._show()
        self.scan()

    @work(exclusive=True, group="posture", exit_on_error=False)
    async def scan(self) -> None:
        """Every region in parallel; each row fills in as its region answers."""
        app = app_of(self)
        async for outcome in scan_posture(app.ctx, list(self._order)):
            self.results[outcome.region] = (outcome.value, outcome.failure)
            if outcome.value is not None:
                app.set_region_status(outcome.region, outcome.value.verdict())
            elif outcome.failure is not None:
                app.set_region_status(outcome.region, str(outcome.failure))
            self._show()

    def _show(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for region in self._order:
            posture, failure = self.results.get(region, (None, None))
            table.add_row(*region_row(region, posture, failure), key=region)
        if self._order:
            table.move_cursor(row=min(max(row, 0), len(self._order) - 1))
        answered = [p for p, _ in self.results.values() if p is not None]
        done = [p for p in answered if not _unread(p)]
        pending = sum(1 for p, f in self.results.values() if p is None and f is None)
        gaps = sum(1 for p in done if p.has_gap)
        failed = sum(1 for _, f in self.results.values() if f is not None)
        failed += len(answered) - len(done)
        summary = Text(no_wrap=True, overflow="ellipsis")
        reason = no_regions_reason(self)
        if reason is not None:
            summary.append(f"nothing checked: {reason}", style=GAP)
            self.query_one("#posture-summary", Static).update(summary)
            return
        summary.append(f"{len(done)} of {len(self._order)} regions checked")
        if pending:
            summary.append(f", {pending} pending", style=UNKNOWN)
        if failed:
            summary.append(f", {failed} failed", style=UNKNOWN)
        summary.append(*_gaps_said(len(done), gaps, pending, failed))
        summary.append("  Enter: details", style="dim")
        self.query_one("#posture-summary", Static).update(summary)

    def action_yank_row(self) -> None:
        """y: the region under the cursor and its verdict in one line, for the case's
        notes or a report of where the account is blind (the row is cut at 80 columns;
        Enter, then y, copies the commands that close its gaps)."""
        region = self._region_at_cursor()
        if region is None:
            self.notify("no region here: nothing to copy", severity="warning")
            return
        posture, failure = self.results.get(region, (None, None))
        if posture is None and failure is None:
            self.notify(f"still checking {clean(region, 40)}: nothing to copy yet",
                        severity="warning")
            return
        said = posture.verdict() if posture is not None else str(failure)
        yank(self, clean(f"{region}: {said}", 400), f"the posture of {clean(region, 40)}")

    def action_details(self) -> None:
        """Enter: the region under the cursor in full, once the keys typed before it
        have moved the cursor (a priority key: View.after_keys)."""
        self.after_keys(self._details)

    def _region_at_cursor(self) -> str | None:
        table = self.query_one(DataTable)
        if not self._order or table.cursor_row < 0:
            return None
        return self._order[table.cursor_row]

    def _details(self) -> None:
        region = self._region_at_cursor()
        if region is None:
            return
        posture, failure = self.results.get(region, (None, None))
        if posture is None:
            message = str(failure) if failure else "still checking this region"
            self.notify(clean(message, 300), title=region, severity="warning")
            return
        self.app.push_screen(PostureDetailView(posture))
