"""``awsir-tui findings``: the detections, headless, for a first look or a script.

The events come from where ``awsir-tui events`` gets them, through the same functions:
Event history (LookupEvents in every selected region; the last 7 days unless the filter
bounds the time, because a detection over "everything" would read 90 days at 2 calls/s)
or ``--source`` archives. The detector runs its built-in rules plus ``--rules DIR``; a
rule it cannot run is named on stderr with the reason, never dropped in silence. With
Event history, and with archives when the command names an account (``--profile``,
``--endpoint-url``, ``--demo``), the instances' own addresses are read from EC2 first
(a few Describe calls), so that an instance key used from any other address is flagged
as theft; archives alone are judged by what their events show.
stdout carries only the findings (table, JSON with event IDs, JSON lines or CSV).
"""

from __future__ import annotations

import contextlib
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO, cast

from awsir_tui.case.secrets import redact
from awsir_tui.commands.events import (
    archive_status,
    history_read,
    loaded_archives,
    options_query,
    parse_or_explain,
)
from awsir_tui.commands.output import Column, Fit, write
from awsir_tui.commands.regions import regions_or_home
from awsir_tui.detect import SEVERITIES, Detector, Finding
from awsir_tui.detect.addresses import OwnAddresses
from awsir_tui.query import EVENT_FIELDS, Query, compile_sql
from awsir_tui.query.times import as_utc, utc_text
from awsir_tui.text import clean, count_of

if TYPE_CHECKING:
    from awsir_tui.aws.context import AwsContext
    from awsir_tui.cli import Options

#: The window of Event history searched when the filter does not bound the time.
DEFAULT_SINCE = "7d"


COLUMNS: list[Column] = [
    ("severity", lambda f: f.severity),
    ("title", lambda f: f.title),
    ("technique", lambda f: f.technique),
    ("events", lambda f: len(f.event_ids)),
    ("first", lambda f: utc_text(f.first_time)),
    ("last", lambda f: utc_text(f.last_time)),
    ("summary", lambda f: f.summary),  # (cell_text redacts it, as every cell)
]
#: The table's prose, cut to fit a terminal only; whole when piped and in CSV (the
#: summary quotes the IDs, keys and IPs a script greps for, the title what was found).
#: A title is aligned to the longest a built-in rule gives, 79 cells after ``Denied
#: attempt: ``: aligned to 64, 14 of the 50 Stratus findings pushed the rest of their
#: line right, and the columns after the title no longer lined up. Only a longer one,
#: from ``--rules``, pushes its own line. On a terminal it is cut at 64 as before:
#: the summary, which tells two findings of a rule apart, keeps the room.
TEXT_FITS = {"title": Fit(16, 64, align=96), "summary": Fit(24, 300)}


def finding_json(finding: Finding) -> Any:
    """A finding as JSON (its event IDs included), secrets redacted value by value."""
    return redact(finding.to_dict())


def instance_addresses(instances: Iterable[Mapping[str, Any]]) -> dict[str, OwnAddresses]:
    """Instance ID -> the addresses its API calls can come from, and since when (its
    last start, ``LaunchTime``: a public address is handed out at each start), for
    instances that reach AWS over a public address of their own.

    The credential-theft detection calls any other source address of an instance
    role's key a theft. An instance without a public IPv4 address of its own calls AWS
    through a NAT gateway (whose address is not the instance's) or a VPC endpoint, so it
    is left out: naming only its private addresses would flag every one of its calls.
    An IPv6 address does not put it in either: AWS's default endpoints are IPv4 only,
    so its calls still come through the NAT gateway (it only adds to the addresses that
    are its own).
    """
    known: dict[str, OwnAddresses] = {}
    for instance in instances:
        instance_id = instance.get("InstanceId")
        if not isinstance(instance_id, str):
            continue
        public = [instance.get("PublicIpAddress")]
        private = [instance.get("PrivateIpAddress")]
        lasting: list[object] = []  # IPv6: its own, kept across stops
        for interface in instance.get("NetworkInterfaces") or []:
            public.append((interface.get("Association") or {}).get("PublicIp"))
            for address in interface.get("PrivateIpAddresses") or []:
                private.append(address.get("PrivateIpAddress"))
                public.append((address.get("Association") or {}).get("PublicIp"))
            lasting += [v6.get("Ipv6Address") for v6 in interface.get("Ipv6Addresses") or []]
        owned = [a for a in public if isinstance(a, str) and a]
        if owned:
            kept = frozenset(a for a in [*private, *lasting] if isinstance(a, str) and a)
            started = instance.get("LaunchTime")
            known[instance_id] = OwnAddresses(
                frozenset(owned) | kept,
                as_utc(started) if isinstance(started, datetime) else None, kept)
    return known


def rules_report(detector: Detector, rules_dir: str | None) -> list[str]:
    """What ran: how many rules (built-in, from ``--rules``), then each rule that could
    not run with its reason. One line each, for stderr or a view's help."""
    builtin = sum(1 for rule in detector.rules if rule.builtin)
    extra = len(detector.rules) - builtin
    line = f"{count_of(len(detector.rules), 'rule')} run ({builtin} built-in"
    if rules_dir is not None:
        line += f", {extra} from {clean(rules_dir, 200)}"
    line += f") and {len(detector.correlations)} correlations"
    if detector.problems:
        count = len(detector.problems)
        line += f"; {count_of(count, 'rule')} could not run:"
    return [line] + [
        f"  {clean(path, 200)}: {clean(reason, 300)}" for path, reason in detector.problems
    ]


def severity_counts(findings: Iterable[Finding]) -> str:
    """``2 high, 3 medium`` (most severe first), or ``none``."""
    counts = Counter(f.severity for f in findings)
    parts = [f"{counts[s]:,} {s}" for s in reversed(SEVERITIES) if counts[s]]
    return ", ".join(parts) or "none"


def with_default_window(query: Query, err: TextIO) -> Query | None:
    """Event history with no time bound in the filter: the last :data:`DEFAULT_SINCE`."""
    if query.times:
        return query
    print(f"awsir-tui: no time bound given; reading the last {DEFAULT_SINCE}", file=err)
    return parse_or_explain(f"{query.source()} since:{DEFAULT_SINCE}".strip(), err)


def _addresses_or_say(
    ctx: AwsContext, err: TextIO, regions: list[str]
) -> dict[str, OwnAddresses]:
    """The instances' own addresses from EC2, in ``regions``.

    A region whose instances cannot be read is said on ``err`` as what it costs: an
    instance key used there is judged by what the events show, which is less than its
    addresses tell. Said as an Event history failure is, ``eu-west-1: denied`` read as
    that region's events missing.
    """
    from awsir_tui.aws.inventory import Kind
    from awsir_tui.commands.ec2_inventory import collect

    instances, _status = collect(
        ctx, Kind.INSTANCES, err, regions,
        unread=lambda failure: (f"instances' addresses not read ({failure}): "
                                "instance-credential findings there are judged without them"))
    return instance_addresses(instances)


def names_account(options: Options) -> bool:
    """``--demo``, ``--profile`` or ``--endpoint-url`` given.

    Logs handed over as an archive are often another account's than the jump box's own
    role, which the default credential chain reaches (an instance role answers
    GetCallerIdentity too): without an account named, an archive is judged by its own
    events, and no account is read on its behalf.
    """
    return bool(options.demo or options.profile or options.endpoint_url)


@contextlib.contextmanager
def _archive_account(
    options: Options, err: TextIO
) -> Iterator[tuple[AwsContext | None, dict[str, OwnAddresses]]]:
    """The account the command names, connected once for the whole run, and its
    instances' own addresses; ``(None, {})`` when it names none.

    The default credential chain alone is not asked: logs handed over are often another
    account's than the jump box's own role, and a folder of logs needs no network. An
    account that cannot be read is said, and the findings come without its addresses.
    The same connection reads ``s3://`` sources (:func:`loaded_archives`): with
    ``--demo``, connecting twice started a second demo account.
    """
    if not names_account(options):
        yield None, {}
        return
    from awsir_tui.cli import connect

    with contextlib.ExitStack() as stack:
        ctx: AwsContext | None = None
        known: dict[str, OwnAddresses] = {}
        try:
            ctx = cast("AwsContext", stack.enter_context(connect(options)))
            # Only the addresses come from the regions here: the events are the archive's.
            regions = regions_or_home(ctx, err, what="instances' addresses")
        except Exception as exc:  # no credentials, an unknown profile, no network...
            from awsir_tui.aws.errors import classify

            print(f"awsir-tui: instances' addresses not read: {classify(exc)}", file=err)
        else:
            known = _addresses_or_say(ctx, err, regions)
        yield ctx, known


def _history_findings(
    options: Options, query: Query, err: TextIO
) -> tuple[Detector, list[Finding], int, int]:
    from awsir_tui.cli import connect

    with connect(options) as connected:
        ctx = cast("AwsContext", connected)
        regions = regions_or_home(ctx, err)  # asked once, for EC2 and Event history
        known = _addresses_or_say(ctx, err, regions)
        detector = Detector.with_rules_dir(options.rules, known_ips=known)
        events, code, _ = history_read(ctx, query, options.limit, err, regions)
    return detector, detector.run(events), len(events), code


def run(options: Options, out: TextIO) -> int:
    """The ``findings`` subcommand (exit 0; 3 if some regions or log files could not
    be read, 1 if none could; 2 bad filter)."""
    err = sys.stderr
    query = options_query(options, err)
    if query is None:
        return 2
    if options.sources or options.store:
        where, params = compile_sql(query, EVENT_FIELDS)
        with (_archive_account(options, err) as (account, known),
              loaded_archives(options, query, err, account) as (store, report, earlier)):
            detector = Detector.with_rules_dir(options.rules, known_ips=known)
            total = store.count(where, params)
            findings = detector.run(store.events(where, params))
        code = archive_status(report, options.sources, earlier)
    else:
        windowed = with_default_window(query, err)
        if windowed is None:
            return 2
        detector, findings, total, code = _history_findings(options, windowed, err)
    for line in rules_report(detector, options.rules):
        print(f"awsir-tui: {line}", file=err)
    print(
        f"awsir-tui: {count_of(len(findings), 'finding')} over {count_of(total, 'event')} "
        f"({severity_counts(findings)})",
        file=err,
    )
    write(findings, COLUMNS, options.format, out, raw=finding_json, fits=TEXT_FITS)
    return code
