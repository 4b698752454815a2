"""Command line: parse options, then open the TUI or run one headless query.

Errors a user can cause (unknown profile, no credentials, bad region, unreachable
endpoint, bad filter) end in one clear line on stderr and a non-zero exit, never a
traceback: at 3 a.m. a stack trace reads like the tool is broken.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import re
import signal
import sys
import tempfile
import textwrap
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, TextIO

from awsir_tui import __version__
from awsir_tui.commands.output import FORMATS
from awsir_tui.text import clean

if TYPE_CHECKING:
    from awsir_tui.aws.context import AwsContext

#: Headless subcommand -> module in awsir_tui.commands that has ``run(options, out)``.
COMMANDS = {
    "instances": "ec2_inventory",
    "security-groups": "ec2_inventory",
    "key-pairs": "ec2_inventory",
    "events": "events",
    "findings": "findings",
    "stack": "stack",
    "case": "case",
    "posture": "posture",
    "verify": "verify",
}
_REGION = re.compile(r"^[a-z]{2}(-[a-z0-9]+)+-\d+$")
#: Width of the filter fields' list and of a description kept as written in a
#: subcommand's --help (argparse's own text follows the terminal; these must read at
#: 80 columns).
_HELP_WIDTH = 79

#: The options that name a file, folder, profile, case, endpoint, time or filter (by
#: their ``dest``), with the option as typed and what it names. Given '' (an unset
#: variable: ``--rules "$RULES"``) each was taken as the current folder or as left out,
#: with no word: ``--source ''`` loaded the folder the command was typed in, ``--rules
#: ''`` ran the rules found there, ``--endpoint-url ''`` called AWS itself instead of the
#: endpoint meant, ``--since ''`` and ``--filter ''`` read every event. So '' is
#: refused for each.
_NAMING = {
    "sources": ("--source", "file or folder"),
    "store": ("--store", "file"),
    "rules": ("--rules", "folder"),
    "s3_cache": ("--s3-cache", "folder"),
    "output": ("--output", "file"),
    "profile": ("--profile", "profile"),
    "case": ("--case", "case"),
    "endpoint_url": ("--endpoint-url", "endpoint"),
    "since": ("--since", "duration"),
    "after": ("--after", "time"),
    "before": ("--before", "time"),
    "filter": ("--filter", "term"),
}


class UsageError(Exception):
    """A problem with what the user typed; reported as one line, exit 2."""


@dataclass
class Options:
    """Everything parsed from the command line, for the app and the subcommands."""

    command: str | None = None
    profile: str | None = None
    regions: tuple[str, ...] | None = None
    endpoint_url: str | None = None
    demo: bool = False
    allow_actions: bool = False
    case: str | None = None
    sources: list[str] = field(default_factory=list)
    store: str | None = None
    rules: str | None = None
    s3_cache: str | None = None
    filter: str = ""
    format: str = "table"
    since: str | None = None
    after: str | None = None
    before: str | None = None
    #: The app: the range ``--since``/``--after``/``--before`` give (each end None when
    #: open), read once as the command is parsed; its ``--source`` load keeps to it.
    window: tuple[datetime | None, datetime | None] = (None, None)
    limit: int | None = None
    output: str | None = None
    force: bool = False
    port: int | None = None
    case_action: str | None = None
    case_name: str | None = None
    #: ``stack``: the fields to count by, as typed (``user,ip``), and how many groups.
    by: str | None = None
    top: int | None = None


def parse_regions(text: str | None) -> tuple[str, ...] | None:
    """``us-east-1,eu-west-1`` -> a tuple; ``all``, or no ``--regions``, -> None (all
    enabled). Any case is read as the lower case AWS names regions in (typed from a
    ticket: ``US-EAST-1``).

    A region named twice is kept once, where first named: every view and command reads
    each region given, and would list its items as many times as it was named. A
    ``--regions`` that names none (``''``, ``,``: an unset ``$REGION``) is refused: read
    as every region, it widened the read the user meant to narrow.
    """
    if text is None or text.strip().lower() == "all":
        return None
    regions = tuple(dict.fromkeys(
        part.strip().lower() for part in text.split(",") if part.strip()
    ))
    if not regions:
        raise UsageError(f"--regions {text!r} names no region (give e.g. us-east-1, or "
                         "'all' for every enabled region)")
    for region in regions:
        if not _REGION.match(region):
            raise UsageError(f"bad region name {region!r} (expected e.g. us-east-1)")
    return regions


def _add_account_options(parser: argparse.ArgumentParser) -> argparse._ArgumentGroup:
    """The account to read, which every command that reads AWS takes. Returns the group,
    for the app's own options beside them.

    Left out, a shared option is absent from the parsed namespace (:class:`Options` holds
    its default): after a subcommand, so that it does not reset the same option typed
    before it; before, so that :func:`parse` sees it typed (its default value too,
    ``--regions all``) and refuses it before a command that does not read it."""
    parser.argument_default = argparse.SUPPRESS
    group = parser.add_argument_group("account")
    group.add_argument("--profile", help="AWS profile (SSO too); default: the usual chain")
    group.add_argument(
        "--regions",
        help="comma-separated regions, or 'all' (default: every enabled region)",
    )
    group.add_argument("--endpoint-url", help="send every call to this endpoint (LocalStack-style)")
    group.add_argument(
        "--demo",
        action="store_true",
        help="use the embedded demo account (no credentials, no network)",
    )
    return group


def _add_app_options(group: argparse._ArgumentGroup) -> None:
    """What the app alone reads: the commands only read, and save no case. Named beside a
    read-only command's options, ``--allow-actions`` (permit changes) left a responder
    wondering whether ``posture`` could change the account."""
    group.add_argument(
        "--allow-actions",
        action="store_true",
        help="the app only: permit changes (snapshots...); each one is still confirmed "
        "and logged (the commands only read)",
    )
    group.add_argument("--case", help="the app's case (default: one per account)")


def _add_archive_options(
    parser: argparse.ArgumentParser, rules: bool = True
) -> argparse._ArgumentGroup:
    """Where CloudTrail events come from besides Event history (``rules``: and the Sigma
    rules run over them), for the app and for the commands that read events. Absent
    when left out, as the account's options are. Returns the group, for the app's time
    options beside them."""
    parser.argument_default = argparse.SUPPRESS
    events = parser.add_argument_group("events")
    events.add_argument(
        "--source",
        action="append",
        dest="sources",
        metavar="SRC",
        help="CloudTrail archive: s3://bucket[/prefix], a file or a folder, or - for "
        "what is piped in to events, findings and stack (repeatable)",
    )
    events.add_argument(
        "--store",
        help="keep the event store in this DuckDB file; alone, reopen the events kept there",
    )
    if rules:
        events.add_argument(
            "--rules", help="folder of Sigma rules to run besides the built-in ones"
        )
    events.add_argument(
        "--s3-cache", metavar="DIR",
        help="keep log files fetched from s3:// sources in DIR (default: "
        "$XDG_CACHE_HOME/awsir-tui/s3, kept for a second look); 'off': in a private "
        "temporary folder removed at exit",
    )
    return events


def _add_time_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup,
                      app: bool = False) -> None:
    """``--since``/``--after``/``--before``: the events a command reads, or (``app``)
    the part of its ``--source`` archives the app loads. Absent when left out, so that
    typed before ``events`` or ``findings`` they are not reset by the command's own
    (left out after its name)."""
    kept = "; the app loads no other event of its --source archives" if app else ""
    parser.add_argument("--since", default=argparse.SUPPRESS,
                        help=f"only the last DURATION (e.g. 24h, 7d){kept}")
    parser.add_argument("--after", default=argparse.SUPPRESS,
                        help=f"only after this time (ISO 8601, UTC if no zone){kept}")
    parser.add_argument("--before", default=argparse.SUPPRESS,
                        help=f"only before this time (ISO 8601){kept}")


def _add_query_options(
    parser: argparse.ArgumentParser, timed: bool = False, exported: bool = False
) -> None:
    """A listing command's options; ``timed``: the time options of one reading events;
    ``exported``: ``--output FILE``, whose name then chooses the format. Each command's
    ``--help`` names only what it takes (``findings --help`` sent the reader to an
    ``--output`` it refuses)."""
    # None when left out: '' given is refused (_NAMING), then left out reads as ''.
    parser.add_argument("--filter", metavar="EXPR", help="filter expression")
    parser.add_argument("--format", choices=FORMATS,
                        help="output format (default: as --output FILE's name ends, "
                        ".csv .json .jsonl; else table)" if exported
                        else "output format (default: table)")
    if timed:
        _add_time_options(parser)
        parser.add_argument("--limit", type=int, help="stop after this many events")
    if exported:
        parser.add_argument(
            "--output", metavar="FILE",
            help="write to FILE (readable by you only) instead of stdout, and beside it "
            "FILE.coverage.txt: the filter, the range, the regions that answered or "
            "failed, and whether the result is partial; its folder must exist, and an "
            "existing FILE (or its coverage file) is refused unless --force",
        )
        parser.add_argument(
            "--force", action="store_true",
            help="with --output: replace FILE and its coverage file if they exist",
        )


def _fields_epilog(listing: str) -> str:
    """The filter fields of ``listing`` for a subcommand's ``--help``, from the field
    definitions the TUI's help also shows, so the two never disagree."""
    from awsir_tui.query import fields as query_fields

    table = {
        "events": query_fields.EVENT_FIELDS,
        "instances": query_fields.INSTANCE_FIELDS,
        "security-groups": query_fields.SECURITY_GROUP_FIELDS,
        "key-pairs": query_fields.KEY_PAIR_FIELDS,
    }[listing]
    rows = query_fields.fields_help(table)
    width = max(len(syntax) for syntax, _ in rows)
    lines = ["filter (--filter EXPR):"]
    for syntax, text in rows:
        lines.append(textwrap.fill(
            text, _HELP_WIDTH, initial_indent=f"  {syntax:<{width}}  ",
            subsequent_indent=" " * (width + 4), break_on_hyphens=False,
        ))
    return "\n".join(lines)


#: The shared options a subcommand also takes after its name, besides the account's:
#: events' archives, findings' archives and Sigma rules. Its ``--help`` names these
#: only; ``--allow-actions`` and ``--case`` are the app's (every command only reads).
_SHARED_AFTER = {
    "instances": (), "security-groups": (), "key-pairs": (), "posture": (),
    "events": ("archives",), "findings": ("archives", "rules"), "stack": ("archives",),
}


class _Subcommands(argparse._SubParsersAction):
    """The subcommands, where a repeatable option typed on both sides of the command's
    name adds up: argparse parses what follows the name into a namespace of its own and
    copies it over, so ``awsir-tui --source a events --source b`` read ``b`` alone and
    dropped ``a`` without a word."""

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
        values: str | Sequence[Any] | None, option_string: str | None = None,
    ) -> None:
        before = {key: value for key, value in vars(namespace).items()
                  if isinstance(value, list)}
        super().__call__(parser, namespace, values, option_string)
        for key, earlier in before.items():
            later = getattr(namespace, key)
            if later is not earlier and isinstance(later, list):
                setattr(namespace, key, earlier + later)


def build_parser() -> argparse.ArgumentParser:
    """The full command line (the contract later issues extend)."""
    parser = argparse.ArgumentParser(
        prog="awsir-tui",
        description="Keyboard-driven incident response for an AWS account. "
        "Read-only unless --allow-actions is given.",
        epilog="Exit status of a command: 0 all read; 3 answered, but some region or "
        "log file could not be read (stderr names each); 1 nothing could be read, or "
        "the output not written; 2 command line refused; 130 Ctrl-C.",
    )
    parser.add_argument("--version", action="version", version=f"awsir-tui {__version__}")
    _add_app_options(_add_account_options(parser))
    _add_time_options(_add_archive_options(parser), app=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", action=_Subcommands)
    _add_listings(sub)
    _add_findings(sub)
    _add_stack(sub)
    _add_verify(sub)
    posture = sub.add_parser(
        "posture", help="is CloudTrail logging, which VPCs lack flow logs",
        description="Per region: does CloudTrail log it, does a multi-region trail cover "
        "it, which VPCs have no flow log. Only reads: the table ends with the AWS CLI "
        "commands that would close the gaps, printed, never run.",
    )
    posture.add_argument("--format", default="table", choices=FORMATS,
                         help="output format (default: table)")
    _add_case(sub)
    server = sub.add_parser(
        "demo-server", help="run the demo account alone; print its endpoint",
        description="Run the embedded demo account alone, on 127.0.0.1, for other "
        "clients such as the AWS CLI: prints its endpoint and the variables to export, "
        "then serves until Ctrl-C.",
    )
    server.add_argument("--port", type=int, help="port on 127.0.0.1 (default: a free one)")
    # The shared options also work after the subcommand (awsir-tui events --demo).
    for name, shared in _SHARED_AFTER.items():
        command = sub.choices[name]
        _add_account_options(command)
        if "archives" in shared:
            _add_archive_options(command, rules="rules" in shared)
    return parser


def _add_listings(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The EC2 listings and ``events``, each with its filter fields after its options."""
    for name, text in (
        ("instances", "EC2 instances of the chosen regions"),
        ("security-groups", "security groups, with the instances that use them"),
        ("key-pairs", "key pairs, with the instances launched with them"),
    ):
        _add_query_options(sub.add_parser(
            name, help=text, description=text, epilog=_fields_epilog(name),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        ))
    events = _events_parser(
        sub, "events", "CloudTrail events (Event history, or --source archives)",
        "CloudTrail events: Event history (LookupEvents), or archives given with "
        "--source. jsonl prints one raw CloudTrail record a line.",
    )
    _add_query_options(events, timed=True, exported=True)


def _events_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, summary: str,
    description: str,
) -> argparse.ArgumentParser:
    """The parser of a command that reads CloudTrail events: its description kept as
    written at 80 columns, and the events' filter fields after its options."""
    return sub.add_parser(
        name, help=summary, description=textwrap.fill(description, _HELP_WIDTH),
        epilog=_fields_epilog("events"), formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _add_findings(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    findings = _events_parser(
        sub, "findings", "run detections over CloudTrail events",
        "Run the detections (built-in Sigma rules and correlations, plus --rules DIR) "
        "over CloudTrail events: Event history (LookupEvents), or archives given with "
        "--source.",
    )
    _add_query_options(findings, timed=True)


def _add_stack(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``stack``: the fields it counts by are listed in its ``--by`` help, from the
    mapping ``:stack`` uses, so the two name the same ones."""
    from awsir_tui.events.stacking import STACK_FIELDS

    stack = _events_parser(
        sub, "stack", "count CloudTrail events by one or two fields, biggest first",
        "Count CloudTrail events by one or two fields, biggest group first, as the app's "
        ":stack does: Event history (LookupEvents, read as the events command reads it), "
        "or archives given with --source.",
    )
    stack.add_argument("--by", metavar="FIELD[,FIELD2]", required=True,
                       help=f"count by this field, or two: {', '.join(STACK_FIELDS.values())}")
    stack.add_argument("--top", metavar="N", type=int, help="print only the N biggest groups")
    _add_query_options(stack)
    _add_time_options(stack)


def _add_verify(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    verify = sub.add_parser(
        "verify", help="check CloudTrail logs on disk against the trail's digest files",
        description="Check the CloudTrail log files of --source folders against the "
        "digest files among them (log file validation): which were changed, removed or "
        "added after delivery, and breaks in the chain of digests. Offline; the digests' "
        "signatures, kept in S3, are not checked. Exit 0: every log as delivered.",
    )
    verify.add_argument("--format", default="text", choices=("text", "json"),
                        help="output format (default: text)")
    verify.add_argument("--source", action="append", dest="sources", default=argparse.SUPPRESS,
                        metavar="FOLDER", help="a copy of the trail's bucket, digest files "
                        "included (a folder or a file; repeatable)")


def _add_case(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``case export NAME`` and ``case list``: NAME is what the list shows, which the
    app chose, so the help says where it comes from and what is printed without
    ``--format``."""
    case = sub.add_parser(
        "case", help="work with saved cases",
        description="The cases the app saved (under $XDG_DATA_HOME/awsir-tui/cases/), "
        "without opening it.",
    )
    case_sub = case.add_subparsers(dest="case_action", metavar="ACTION", required=True)
    export = case_sub.add_parser(
        "export", help="export a case (indicators, kept findings, timeline, notes) or its report",
        description="Print the whole case NAME (indicators, kept findings, timeline, "
        "notes) to stdout: the Markdown report unless --format says another.",
    )
    export.add_argument(
        "case_name", metavar="NAME",
        help="the case's name, as 'awsir-tui case list' (and the app's :indicators) "
        "shows it",
    )
    export.add_argument(
        # awsir_tui.case.export's EXPORTS, written here: importing the case package to
        # parse a command line costs every command ~0.15 s (a test keeps them equal).
        "--format", default="md", choices=("txt", "csv", "json", "md", "values"),
        help="md: the report (default); txt: the indicator values one a line, then the "
        "rest under # headings; csv: one table; json: one object; values: the indicator "
        "values alone, one a line, to sweep logs with grep -F -f",
    )
    case_sub.add_parser(
        "list", help="list saved cases",
        description="List the saved cases: name, when saved, how many indicators, "
        "findings and notes; a case file that cannot be read is shown so, not moved.",
    )


def _filter_joined(argv: Sequence[str]) -> list[str]:
    """``--filter -error:*`` as ``--filter=-error:*``: a filter may begin with ``-`` (a
    negated term), which argparse would otherwise read as an option and refuse. Not a
    value beginning with ``--``: that is the next option (``--filter --demo`` must not
    make ``--demo`` the filter and query the real account)."""
    joined: list[str] = []
    index = 0
    while index < len(argv):
        argument = argv[index]
        following = argv[index + 1] if index + 1 < len(argv) else ""
        if argument == "--filter" and following.startswith("-") and not following.startswith(
            "--"
        ):
            joined.append(f"--filter={following}")
            index += 2
        else:
            joined.append(argument)
            index += 1
    return joined


def _options_of(parser: argparse.ArgumentParser) -> dict[str, str]:
    """``dest`` -> the option as typed, for each option ``parser`` takes."""
    return {action.dest: action.option_strings[-1]
            for action in parser._actions if action.option_strings}


def _subcommands(
    parser: argparse.ArgumentParser,
) -> dict[str, tuple[argparse.ArgumentParser, str]]:
    """Each subcommand of ``parser``: its parser and its one-line help."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            return {name: (sub, helps[name]) for name, sub in action.choices.items()}
    return {}


def _refuse_unread(parser: argparse.ArgumentParser, values: dict[str, object]) -> None:
    """Refuse a shared option typed before a subcommand that does not read it. Raises
    :class:`UsageError`.

    Accepted, it was ignored in silence: ``awsir-tui --source ./logs instances`` listed
    the live account's instances while the responder believed they read the archive.
    What a subcommand reads is what its own parser takes after its name (its ``--help``
    lists the same), so the two cannot disagree; the app, with no subcommand, reads
    every one. ``values`` holds only the options typed (see _add_account_options).
    """
    if values.get("command") is None:
        return
    commands = _subcommands(parser)
    names = [str(values["command"])]
    command, what = commands[names[0]]
    if values.get("case_action"):  # case list, case export: said as typed
        names.append(str(values["case_action"]))
        command, what = _subcommands(command)[names[-1]]
    read = _options_of(command)
    for dest, option in _options_of(parser).items():
        if dest in values and dest not in read:
            readers = ["the app"] + [
                name for name, (sub, _) in commands.items() if dest in _options_of(sub)
            ]
            said = (f"{', '.join(readers[:-1])} and {readers[-1]} read it"
                    if len(readers) > 1 else "only the app reads it")
            raise UsageError(f"{option} is not read by '{' '.join(names)}' ({what}); {said}")


def parse(argv: Sequence[str] | None = None) -> Options:
    """Parse ``argv`` into :class:`Options` (raises SystemExit on --help or usage errors)."""
    parser = build_parser()
    namespace = parser.parse_args(_filter_joined(sys.argv[1:] if argv is None else argv))
    values = vars(namespace)
    _refuse_unread(parser, values)
    values["regions"] = parse_regions(values.get("regions"))
    if "format" in values and values["format"] is None:
        values["format"] = format_for(values.get("output"))
    for dest, (option, what) in _NAMING.items():
        given = values.get(dest)
        if given == "" or (isinstance(given, list) and "" in given):
            raise UsageError(f"{option} '' names no {what} (an unset variable?)")
    if values.get("filter", "") is None:
        values["filter"] = ""
    if values.get("command") is None:
        values["window"] = _app_window(values)
    known = {name for name in Options.__dataclass_fields__}
    return Options(**{key: value for key, value in values.items() if key in known})


def _app_window(values: dict[str, Any]) -> tuple[datetime | None, datetime | None]:
    """The range the app's ``--source`` load keeps to (#5: months of logs in S3, and
    the incident in two days of them), read as ``events`` reads the same options: a bad
    one is refused here, before the app takes the terminal. Raises :class:`UsageError`.

    Refused without ``--source``: the app reads Event history then, whose range is the
    events view's filter (``since:24h``), and a store reopened alone loads nothing."""
    given = [f"--{name}" for name in ("since", "after", "before") if values.get(name)]
    if not given:
        return None, None
    if not values.get("sources"):
        raise UsageError(f"{given[0]} bounds what the app loads of --source archives, and "
                         "none is given (over Event history, type since:, after: or "
                         "before: in the events view's filter)")
    from awsir_tui.commands.events import time_window

    known = {name for name in Options.__dataclass_fields__}
    return time_window(Options(**{key: value for key, value in values.items()
                                  if key in known}))


#: The format an ``--output`` file's name asks for, without ``--format``.
_FORMAT_OF_SUFFIX = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def format_for(output: str | None) -> str:
    """The format of a command given no ``--format``: as its ``--output`` file's name
    ends, else the table. ``--output events.csv`` alone wrote the terminal's table
    into a file that a spreadsheet or ``jq`` then could not read."""
    suffix = Path(output).suffix.lower() if output else ""
    return _FORMAT_OF_SUFFIX.get(suffix, "table")


def check_paths(options: Options) -> None:
    """Refuse, before the app or a command starts, the paths that cannot be what the
    user meant. Raises :class:`UsageError`.

    ``--store FILE`` without ``--source`` reopens events kept earlier: a file that does
    not exist is a mistyped path, and opening it would make an empty store and answer
    "0 events" as if the case had none. ``--rules DIR`` that is not a folder would run
    the built-in rules alone while the user believes theirs ran too. ``--output FILE``
    is evidence handed on: a folder that does not exist is a mistyped path (made
    silently, the export would land where nobody looks), and a file already there may
    be an earlier export, replaced only with ``--force``; ``--force`` alone replaces
    nothing, and is refused rather than ignored.
    """
    if "-" in options.sources:
        if options.command not in ("events", "findings", "stack"):  # the app's keys come in
            raise UsageError("--source - (what is piped in) is read by the events, findings "
                             f"and stack commands, not by {options.command or 'the app'}")
        if sys.stdin is None or sys.stdin.isatty():  # else it waits for typing, in silence
            raise UsageError("--source - reads what is piped in, and nothing is")
    if options.output is not None and options.command == "events":
        check_output(Path(options.output), options.force)
    elif options.force:  # accepted in silence, the user believed a file was replaced
        raise UsageError("--force has no effect without --output (it lets --output FILE "
                         "replace an earlier FILE)")
    if options.store and not options.sources:  # (parse refused it before other commands)
        store = Path(options.store)
        if not store.exists():
            raise UsageError(
                f"--store {clean(options.store, 200)}: no such file (alone, --store reopens"
                " a store kept earlier; give --source too to make one)"
            )
        if store.is_dir():
            raise UsageError(f"--store {clean(options.store, 200)}: a folder, not a store file")
    from awsir_tui.events.s3archive import CACHE_OFF

    cache = options.s3_cache
    if cache not in (None, CACHE_OFF) and Path(cache).expanduser().is_file():
        # (else every object fetched failed, each with the same errno)
        raise UsageError(f"--s3-cache {clean(options.s3_cache, 200)}: a file, not a folder")
    if options.rules is not None:
        rules = Path(options.rules)
        if not rules.exists():
            raise UsageError(f"--rules {clean(options.rules, 200)}: no such folder")
        if not rules.is_dir():
            raise UsageError(
                f"--rules {clean(options.rules, 200)}: not a folder (give the folder that"
                " holds the Sigma rules)"
            )


def check_output(path: Path, force: bool) -> None:
    """Refuse an ``--output`` path whose folder is missing, that is a folder, or
    that (or its coverage file) exists, unless ``force``. Raises :class:`UsageError`."""
    from awsir_tui.events.coverage import sidecar_path

    shown = clean(str(path), 200)
    parent = path.parent
    if not parent.exists():
        raise UsageError(f"--output {shown}: no such folder {clean(str(parent), 200)}")
    if not parent.is_dir():
        raise UsageError(f"--output {shown}: {clean(str(parent), 200)} is not a folder")
    if path.is_dir():
        raise UsageError(f"--output {shown}: a folder, not a file")
    try:  # found now, not after minutes of reading, with the export then lost
        with tempfile.TemporaryFile(dir=parent):
            pass  # (os.access says yes to root, where a read-only mount says no)
    except OSError as exc:
        raise UsageError(f"--output {shown}: cannot write in {clean(str(parent), 200)} "
                         f"({clean(exc.strerror or exc)})") from None
    if force:
        return
    existing = [p for p in (path, sidecar_path(path)) if p.exists() or p.is_symlink()]
    if existing:
        names = " and ".join(clean(str(p), 200) for p in existing)
        exist, them = ("exists", "it") if len(existing) == 1 else ("exist", "them")
        raise UsageError(f"--output {shown}: {names} already {exist} (--force replaces {them})")


@contextlib.contextmanager
def connect(options: Options) -> Iterator[object]:
    """Build the data layer's context for ``options``, starting the demo account if asked."""
    from awsir_tui.aws.context import AwsContext, AwsTarget

    with contextlib.ExitStack() as stack:
        if options.demo:
            from awsir_tui.demo.server import DemoServer

            # No --regions: every enabled region, as against a real account (the
            # story's three are among them), not a choice the responder did not make.
            demo = stack.enter_context(DemoServer())
            target = AwsTarget(
                regions=options.regions,
                endpoint_url=demo.endpoint_url,
                allow_actions=options.allow_actions,
                static_credentials=("testing", "testing"),
            )
        else:
            target = AwsTarget(
                profile=options.profile,
                regions=options.regions,
                endpoint_url=options.endpoint_url,
                allow_actions=options.allow_actions,
            )
        ctx = AwsContext(target)
        # With archives, --regions picks the archive's records: no account to ask.
        if options.regions and not (options.sources or options.store):
            skip_unusable_regions(ctx)
        yield ctx


def skip_unusable_regions(ctx: AwsContext) -> None:
    """Take the regions that cannot be read (not known to the account, or not enabled
    in it) out of ``ctx``'s choice, each said with why on stderr (before the TUI opens,
    or a command's output) and kept in ``ctx.skipped_regions``: every view and command
    then reads the others, none of them fails on such a region in botocore's words.
    Raises :class:`UsageError` when none of the regions given can be read: an empty
    choice would mean every region."""
    from awsir_tui.aws.context import NOT_KNOWN

    unusable = ctx.unusable_regions()
    regions = ctx.target.regions or ()
    if not unusable:
        return
    if len(unusable) == len(regions):
        if set(unusable.values()) == {NOT_KNOWN}:
            what = "a region" if len(unusable) == 1 else "regions"
            raise UsageError(f"{', '.join(unusable)}: not {what} this account knows")
        raise UsageError("; ".join(f"{region}: {why}" for region, why in unusable.items()))
    for region, why in unusable.items():
        _say(f"{region} is {why}: skipped")
    ctx.skipped_regions = unusable
    ctx.target = replace(
        ctx.target, regions=tuple(region for region in regions if region not in unusable)
    )


def _run(options: Options, out: TextIO) -> int:
    if options.command == "demo-server":
        from awsir_tui.demo.server import run_forever

        run_forever(options.port, out)
        return 0
    if options.command is None:
        from awsir_tui.app import run_app

        return run_app(options)
    from awsir_tui.commands.redacted_stderr import redacted_stderr

    module = importlib.import_module(f"awsir_tui.commands.{COMMANDS[options.command]}")
    with redacted_stderr():
        result: int = module.run(options, out)
    return result


#: Everything the tool creates is evidence (the ``--store`` file and DuckDB's log and
#: spill files beside it, the S3 cache, exports, the case): its owner's alone. DuckDB
#: creates its files itself, some only when first needed, so the process's umask is
#: the one way to cover them all.
PRIVATE_UMASK = 0o077


def _say(message: str) -> None:
    """One line on stderr, redacted: an error quotes the arguments, and a path or a
    region given on the command line can hold a secret (``password=hunter2.jsonl``)."""
    from awsir_tui.case.secrets import redact_text

    print(redact_text(f"awsir-tui: {message}"), file=sys.stderr)


@contextlib.contextmanager
def _noting_interrupts(heard: threading.Event) -> Iterator[None]:
    """While the block runs, SIGINT (Ctrl-C) still raises KeyboardInterrupt, and sets
    ``heard`` first. A statement DuckDB is running when it comes ends instead in
    DuckDB's own error ("Query interrupted"), and the interrupt is gone: ``heard``
    lets it end as an interrupt (exit 130), not as the tool failing. Left as it is
    where Python's own handler is not the one (SIGINT ignored, or not the main
    thread)."""
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler):
        yield
        return

    def interrupt(number: int, frame: FrameType | None) -> None:
        heard.set()
        signal.default_int_handler(number, frame)

    signal.signal(signal.SIGINT, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``awsir-tui`` console script."""
    from awsir_tui.commands.redacted_stderr import redacted_stderr

    previous = os.umask(PRIVATE_UMASK)
    interrupted = threading.Event()
    try:
        with _noting_interrupts(interrupted):
            with redacted_stderr():  # argparse's own messages quote the arguments too
                options = parse(argv)
                check_paths(options)
            return _run(options, sys.stdout)
    except UsageError as exc:
        _say(str(exc))
        return 2
    except KeyboardInterrupt:
        _say("interrupted")
        return 130
    except BrokenPipeError:  # `awsir-tui events | head` is normal use
        return 0
    except Exception as exc:
        from awsir_tui.aws.errors import classify
        from awsir_tui.events.store import StoreUnavailable

        if interrupted.is_set():  # (DuckDB turns the interrupt into its own error)
            _say("interrupted")
            return 130
        if isinstance(exc, StoreUnavailable):  # said in words, as the app says it
            _say(str(exc))
            return 2
        _say(str(classify(exc)))
        return 1
    finally:
        os.umask(previous)
