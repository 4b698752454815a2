"""The event names CloudTrail logs for API calls, read offline from botocore's models.

A management event's name is its API operation's (ec2's RunInstances), and botocore
ships every service's model: the planner completes a start typed on Event history
(``name:runinst``) from them (:class:`~awsir_tui.query.names.EventNames`). Reading the
445 models takes some 4 s and far more memory than their 20,000 operation names, so the
names alone are kept, once per process, and in the XDG cache for the botocore version
that gave them (reading that back takes milliseconds). Each service's names are filed
under the event sources CloudTrail likely logs it as, its endpoint prefix's and its
signing name's (``ec2.amazonaws.com``): a ``source:`` term then prefers its names.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from pathlib import Path

import botocore
import botocore.loaders
import platformdirs

from awsir_tui.case.store import atomic_write_text
from awsir_tui.query.names import EventNames

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_SOURCE = re.compile(r"[a-z0-9.-]+\.amazonaws\.com")

#: The cache's shape: a file of another (an older awsir-tui's filing) is not read.
_FORMAT = 2
#: Largest cache file read (the real one is some 600 KB): a file anyone could have put
#: there must not take the memory or the time of a planner on the UI thread.
_MOST_CACHE_BYTES = 8 << 20
#: Lambda logs its calls under its API's dated names (UpdateFunctionCode20150331v2,
#: PublishLayerVersion20181031), which no model holds: filed too, so that a part of a
#: name (``name:addperm``) is not completed to SNS's and SQS's AddPermission alone.
_LAMBDA_SUFFIXES = ("20150331", "20150331v2", "20181031")

_lock = threading.Lock()
#: Guards the start of the one build thread (never held while anything is read).
_starting = threading.Lock()
_loaded: EventNames | None = None
_building: threading.Thread | None = None


def event_names() -> EventNames:
    """The catalogue, read on the first call (from the cache, or from botocore's
    models, which the cache is then written from) and kept for the process; empty if
    botocore's models cannot be read (a build without them): the planner then plans
    as without it. Blocks for seconds the first time: see :func:`event_names_now`."""
    global _loaded
    with _lock:
        if _loaded is None:
            _loaded = EventNames(names_by_source(cache_path()))
        return _loaded


def event_names_now() -> EventNames:
    """The catalogue if it is loaded or cached (milliseconds: a planner on the UI
    thread may ask), else an empty one while a thread builds it from the models for
    the next filter (the first start with a new botocore; some 4 s)."""
    global _building
    if (ready := _loaded_or_cached()) is not None:
        return ready
    with _starting:
        if _building is None:
            _building = threading.Thread(target=event_names, name="event-names", daemon=True)
            _building.start()
    return EventNames({})


def event_names_ready() -> bool:
    """Whether the catalogue is loaded or cached (milliseconds, never botocore's
    models): a caller that may wait (the headless command, which has no UI thread to
    keep free) builds it otherwise with :func:`event_names`, and says why it waits."""
    return _loaded_or_cached() is not None


def _loaded_or_cached() -> EventNames | None:
    """The catalogue if it is loaded, else read from the cache if that holds one."""
    global _loaded
    # Not under _lock, which the build holds for seconds. The cache read here is kept
    # (event_names() would read it again); a build ending meanwhile sets the same names.
    if _loaded is None and (cached := _read(cache_path())) is not None:
        _loaded = EventNames(cached)
    return _loaded


def cache_path() -> Path:
    """The names of this botocore version's models, under the user's XDG cache."""
    folder = Path(platformdirs.user_cache_dir("awsir-tui"))
    return folder / f"event-names-{_FORMAT}-botocore-{botocore.__version__}.json"


def names_by_source(cache: Path) -> dict[str, tuple[str, ...]]:
    """The names from ``cache`` if it holds a valid catalogue, else from botocore's
    models, written to ``cache`` for the next process (if it can be: a read-only home
    only costs the next start the models' read again)."""
    cached = _read(cache)
    if cached is not None:
        return cached
    try:
        built = from_botocore()
    except Exception:  # models missing or malformed: no catalogue, never a crash
        return {}
    _write(cache, built)
    return built


def from_botocore() -> dict[str, tuple[str, ...]]:
    """Every operation of every service botocore models, under its likely event sources."""
    loader = botocore.loaders.create_loader()
    found: dict[str, set[str]] = {}
    for service in loader.list_available_services("service-2"):
        model = loader.load_service_model(service, "service-2")
        metadata = model.get("metadata", {})
        prefixes = {metadata.get("endpointPrefix"), metadata.get("signingName")}
        operations = set(model["operations"])
        if "lambda" in prefixes:
            operations |= {f"{op}{suffix}" for op in operations for suffix in _LAMBDA_SUFFIXES}
        for prefix in filter(None, prefixes):
            found.setdefault(f"{prefix.lower()}.amazonaws.com", set()).update(operations)
    return {source: tuple(sorted(names)) for source, names in sorted(found.items())}


def _read(cache: Path) -> dict[str, tuple[str, ...]] | None:
    """The cache's catalogue, or None if it is missing, unreadable or not one (a file
    anyone could have written: only names and sources of their shape are taken)."""
    try:
        if cache.is_symlink() or cache.stat().st_size > _MOST_CACHE_BYTES:
            return None
        data = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not data:
        return None
    catalogue: dict[str, tuple[str, ...]] = {}
    for source, names in data.items():
        if not (isinstance(source, str) and _SOURCE.fullmatch(source)
                and isinstance(names, list)
                and all(isinstance(n, str) and _NAME.fullmatch(n) for n in names)):
            return None
        catalogue[source] = tuple(names)
    return catalogue


def _write(cache: Path, catalogue: dict[str, tuple[str, ...]]) -> None:
    """Write ``catalogue`` to ``cache`` whole or not at all (two processes may)."""
    text = json.dumps({source: list(names) for source, names in catalogue.items()})
    with contextlib.suppress(OSError):
        atomic_write_text(cache, text)
