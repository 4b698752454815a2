"""Who we are talking to and how: the session, the clients, the caller identity.

boto3 sessions are not thread-safe but clients are, so the context makes each
(service, region) client once, under a lock, and hands the same one to every worker.
Every client is attached to the :class:`~awsir_tui.aws.guard.Guard` as it is made, so
no call can bypass it.

With no credentials anywhere, botocore asks its whole chain again for every client it
makes, the instance metadata endpoint last, which off EC2 may take seconds to not
answer: a view reading many regions (each its own client) waited that long for each
before failing. The context asks once and says "no credentials" at once after that.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError
from botocore.parsers import ResponseParserError

from awsir_tui import __version__
from awsir_tui.aws.errors import Failure, FailureKind, classify
from awsir_tui.aws.guard import Guard
from awsir_tui.text import clean

#: Region used for global services (IAM, STS) and region discovery when none is set.
DEFAULT_REGION = "us-east-1"
#: How long "no credentials" is believed before the chain is asked again, so that
#: credentials made meanwhile (an SSO login in another terminal) are found.
NO_CREDENTIALS_RECHECK = 30.0
#: Why DescribeRegions may fail and the home region still be read: the list refused to
#: this principal (a responder's read-only role) or throttled. No credentials, rejected
#: ones or no network would fail every region as they failed the list.
FALL_BACK_ON = frozenset({FailureKind.DENIED, FailureKind.THROTTLED})


@dataclass(frozen=True, slots=True)
class AwsTarget:
    """What the user asked to connect to, from the command line."""

    profile: str | None = None
    #: Explicit regions, or None for every enabled region of the account.
    regions: tuple[str, ...] | None = None
    endpoint_url: str | None = None
    allow_actions: bool = False
    #: Fixed credentials, for the demo account only (never real ones on the command line).
    static_credentials: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Identity:
    """The caller identity (sts:GetCallerIdentity), shown in the header."""

    account: str
    arn: str
    user_id: str


@dataclass(frozen=True, slots=True)
class RegionInfo:
    """A region and whether this account has it enabled."""

    name: str
    opt_in_status: str = "opt-in-not-required"

    @property
    def enabled(self) -> bool:
        return self.opt_in_status != "not-opted-in"


@dataclass(frozen=True, slots=True)
class Fallback:
    """Every region was asked, but the account would not list them: the home region
    is read alone."""

    region: str
    #: Why the list failed (denied or throttled: :data:`FALL_BACK_ON`).
    failure: Failure

    def reason(self) -> str:
        """Why a read of :attr:`region` alone is not what was asked, for its coverage:
        an export of it must not say COMPLETE."""
        return f"regions not listed ({self.failure.kind.value}): {self.region} only"


def client_config() -> Config:
    """Retries that adapt to throttling, timeouts that fail fast over a bad link."""
    return Config(
        retries={"mode": "adaptive", "max_attempts": 4},
        connect_timeout=5,
        read_timeout=30,
        max_pool_connections=32,
        user_agent_extra=f"awsir-tui/{__version__}",
    )


#: One attempt a call (``total_max_attempts``: botocore's ``max_attempts`` counts
#: retries, and 1 made two attempts), for a caller that paces and retries itself
#: (LookupEvents): a retry of botocore's own hid a throttle from the pacer, which kept
#: its rate, and stacked back-offs multiplied the waits.
PACED = Config(retries={"mode": "standard", "total_max_attempts": 1})
#: One attempt that gives up within seconds: for the region check run before anything
#: is on screen, which must not hold the app or a command back on a dead network.
BRIEF = Config(
    retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=3, read_timeout=5
)


#: Why a chosen region is skipped when the account does not list it.
NOT_KNOWN = "not a region this account knows"


@dataclass
class AwsContext:
    """The session, its guarded clients, and what we learned about the account."""

    target: AwsTarget
    guard: Guard = field(init=False)
    _session: boto3.Session = field(init=False, repr=False)
    _clients: dict[tuple[str, str, Config | None], Any] = field(
        default_factory=dict, init=False, repr=False
    )
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    #: Until when (monotonic) the session is known to have no credentials.
    _no_credentials_until: float = field(default=0.0, init=False, repr=False)
    #: Set when :meth:`regions_to_read` read the home region alone: every read of it
    #: says why (:meth:`unlisted`), whichever view or command makes it.
    fallback: Fallback | None = field(default=None, init=False)
    #: The regions of the user's choice taken out of it at start, and why
    #: (:meth:`unusable_regions`): the app says them again where the responder looks.
    skipped_regions: dict[str, str] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.guard = Guard(allow_actions=self.target.allow_actions)
        kwargs: dict[str, Any] = {}
        if self.target.static_credentials:
            kwargs["aws_access_key_id"], kwargs["aws_secret_access_key"] = (
                self.target.static_credentials
            )
        # Raises ProfileNotFound at once for a bad --profile: the CLI reports it.
        self._session = boto3.Session(profile_name=self.target.profile, **kwargs)

    @property
    def profile_region(self) -> str:
        """The profile's region (or the environment's), else us-east-1: enabled in
        every account, so a list asked there is answered."""
        return self._session.region_name or DEFAULT_REGION

    @property
    def home_region(self) -> str:
        """The region for global calls: the first of ``--regions``, else
        :attr:`profile_region`."""
        if self.target.regions:
            return self.target.regions[0]
        return self.profile_region

    def client(self, service: str, region: str | None = None, config: Config | None = None
               ) -> Any:
        """The one guarded client for ``service`` in ``region`` (made on first use), with
        the usual configuration (:func:`client_config`) changed by ``config``:
        :data:`PACED`, :data:`BRIEF`."""
        region = region or self.home_region
        key = (service, region, config)
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                self._require_credentials()
                client = self._session.client(
                    service,  # type: ignore[call-overload]
                    region_name=region,
                    endpoint_url=self.target.endpoint_url,
                    config=client_config().merge(config) if config else client_config(),
                )
                self.guard.attach(client, service, region)
                self._clients[key] = client
        return client

    def _require_credentials(self) -> None:
        """Raise ``NoCredentialsError`` when the session has none: asked of botocore's
        chain at most every :data:`NO_CREDENTIALS_RECHECK` seconds (held under the
        lock, so the regions read at once wait for one answer, not one each)."""
        now = time.monotonic()
        if now < self._no_credentials_until:
            raise NoCredentialsError()
        if self._session.get_credentials() is None:
            self._no_credentials_until = time.monotonic() + NO_CREDENTIALS_RECHECK
            raise NoCredentialsError()

    def caller_identity(self) -> Identity:
        """Who these credentials are (blocking; call from a worker)."""
        answer = self.client("sts").get_caller_identity()
        return Identity(
            account=str(answer.get("Account", "")),
            arn=str(answer.get("Arn", "")),
            user_id=str(answer.get("UserId", "")),
        )

    def discover_regions(
        self, region: str | None = None, config: Config | None = None
    ) -> list[RegionInfo]:
        """Every region EC2 knows for this account, with its opt-in status, asked in
        ``region`` (default: the home region) by a client configured with ``config``
        (blocking). An answer ends a :attr:`fallback`: the account lists its regions
        now, and a read of the home region alone is then the responder's choice."""
        answer = self.client("ec2", region, config).describe_regions(AllRegions=True)
        self.fallback = None
        regions = [
            RegionInfo(item["RegionName"], item.get("OptInStatus", "opt-in-not-required"))
            for item in answer.get("Regions", [])
        ]
        return sorted(regions, key=lambda info: info.name)

    def selected_regions(self) -> list[str]:
        """The regions to query: the user's choice, else every enabled region (blocking)."""
        if self.target.regions:
            return list(self.target.regions)
        return [info.name for info in self.discover_regions() if info.enabled]

    def regions_to_read(self) -> tuple[list[str], Fallback | None]:
        """The regions to read, as the app and every command decide them:
        :meth:`selected_regions`, but when the account refuses or throttles the list
        (:data:`FALL_BACK_ON`), the home region alone, and why (also kept as
        :attr:`fallback`). Event history, EC2 and the posture checks read region by
        region: failing for the list gave nothing where the home region's answer was
        at hand. Any other failure (no credentials, a dead network) is raised: reading
        the home region alone then, the app gave one region's rows as if they were
        every region's once the credentials were renewed.
        """
        try:
            regions = self.selected_regions()
        except Exception as exc:
            failure = classify(exc)
            if failure.kind not in FALL_BACK_ON:
                raise
            self.fallback = Fallback(self.home_region, failure)
            return [self.home_region], self.fallback
        self.fallback = None
        return regions, None

    def unlisted(self, regions: Sequence[str]) -> str:
        """Why a read of ``regions`` is fewer regions than were asked (the
        :attr:`fallback`'s reason when they are its region alone), else "". A read of
        other regions is one the responder chose (``:regions``)."""
        fallback = self.fallback
        if fallback is None or list(regions) != [fallback.region]:
            return ""
        return fallback.reason()

    def unusable_regions(self) -> dict[str, str]:
        """The chosen regions that cannot be read, and why (blocking): the ones this
        account's DescribeRegions does not list, and the opt-in ones it has not enabled.

        A well-formed but mistyped region (``us-west-9``) has no endpoint, or one that
        answers garbage: read, it fails in botocore's words, not "no such region", and
        as the first region it would be where the global calls go. A region not opted
        in refuses every call, as if the credentials were wrong.

        This runs before the app opens and before every command, so it costs seconds
        at most whatever the network does: one attempt each, short timeouts (:data:`BRIEF`).
        The list is asked in :attr:`profile_region` first, which is enabled, then in
        the chosen ones (a chosen opt-in region the account has not enabled answers
        with a refusal), skipping an endpoint that gives no AWS answer
        (perhaps an unknown region's). Any other failure (denied, no credentials, a
        timeout, no connection) would be the same in every region: then nothing is
        called unusable, and each region read fails with its own reason.
        """
        chosen = self.target.regions or ()
        if not chosen:
            return {}
        for region in dict.fromkeys((self.profile_region, *chosen)):
            try:
                known = {info.name: info for info in self.discover_regions(region, BRIEF)}
            except ResponseParserError:
                continue
            except (ClientError, BotoCoreError):
                return {}
            return {
                name: (NOT_KNOWN if name not in known
                       else f"not enabled in this account "
                            f"({clean(known[name].opt_in_status, 40)})")
                for name in chosen if name not in known or not known[name].enabled
            }
        return {}
