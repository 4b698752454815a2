"""The app takes ``--since``/``--after``/``--before`` and keeps its ``--source`` load to
them (#5, responder review): ``awsir-tui --source DIR --after 2026-11-30`` was refused
as ``invalid choice: '2026-11-30'``, and a responder with months of logs in S3 could not
load only the incident's days. Read as ``events`` reads them, a bad one refused in the
same words; before ``events`` and ``findings`` they still work, before a command that
does not read them they are refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from awsir_tui.cli import build_parser, parse
from tests.helpers_events import STRATUS
from tests.helpers_headless import run_cli

ARCHIVE = str(STRATUS)


def test_the_app_reads_its_window_from_the_time_options() -> None:
    assert parse(["--source", ARCHIVE, "--after", "2026-11-30"]).window == (
        datetime(2026, 11, 30, tzinfo=UTC), None)
    assert parse(["--source", ARCHIVE, "--after", "2026-11-30T05:40Z", "--before",
                  "2026-12-01"]).window == (datetime(2026, 11, 30, 5, 40, tzinfo=UTC),
                                            datetime(2026, 12, 1, tzinfo=UTC))
    earliest = datetime.now(UTC) - timedelta(days=2)
    (start, end) = parse(["--source", ARCHIVE, "--since", "2d"]).window
    assert start is not None and earliest <= start <= datetime.now(UTC) - timedelta(days=2)
    assert end is None


def test_a_bad_time_is_refused_as_the_option_typed() -> None:
    code, out, err = run_cli("--source", ARCHIVE, "--after", "2026-11-3x")
    assert (code, out) == (2, "")
    assert err.startswith("awsir-tui: --after: bad time '2026-11-3x': use an ISO date/time")
    code, _, err = run_cli("--source", ARCHIVE, "--after", "2026-12-01", "--before", "2026-11-01")
    assert code == 2 and err.startswith("awsir-tui: --after/--before: empty time range")
    code, _, err = run_cli("--source", ARCHIVE, "--since", "2d", "--after", "2026-11-30")
    assert (code, err) == (2, "awsir-tui: use --since, or --after/--before, not both\n")


def test_without_an_archive_the_app_says_where_a_time_goes() -> None:
    code, out, err = run_cli("--demo", "--since", "2d")
    assert (code, out) == (2, "")
    assert err == ("awsir-tui: --since bounds what the app loads of --source archives, and "
                   "none is given (over Event history, type since:, after: or before: in the "
                   "events view's filter)\n")


def test_before_a_command_they_are_read_by_the_commands_that_read_events_only() -> None:
    events = parse(["--after", "2026-11-30", "events", "--source", ARCHIVE,
                    "--before", "2026-12-01"])
    assert (events.after, events.before, events.window) == ("2026-11-30", "2026-12-01",
                                                            (None, None))
    assert parse(["--since", "2d", "findings", "--source", ARCHIVE]).since == "2d"
    code, _, err = run_cli("--after", "2026-11-30", "instances", "--demo")
    assert code == 2
    assert err == ("awsir-tui: --after is not read by 'instances' (EC2 instances of the "
                   "chosen regions); the app, events, findings and stack read it\n")


def test_the_apps_help_lists_them() -> None:
    text = " ".join(build_parser().format_help().split())
    for option in ("--since SINCE only the last DURATION (e.g. 24h, 7d)",
                   "--after AFTER only after this time (ISO 8601, UTC if no zone)",
                   "--before BEFORE only before this time (ISO 8601)"):
        assert f"{option}; the app loads no other event of its --source archives" in text
