"""The event names CloudTrail logs for API calls, read offline from botocore's models.

A management event's name is its API operation's (ec2's RunInstances), and botocore
ships every service's model: the planner completes a start typed on Event history
(``name:runinst``) from them (:class:`~awsir_tui.query.names.EventNames`). Reading the
445 models takes some 6 s and far more memory than their 20,000 operation names, so the
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

_lock = threading.Lock()
_loaded: EventNames | None = None


def event_names() -> EventNames:
    """The catalogue, read on the first call (from the cache, or from botocore's
    models, which the cache is then written from) and kept for the process. Call it
    off the UI thread: the planner does, in the events view's worker."""
    global _loaded
    with _lock:
        if _loaded is None:
            _loaded = EventNames(names_by_source(cache_path()))
        return _loaded


def cache_path() -> Path:
    """The names of this botocore version's models, under the user's XDG cache."""
    folder = Path(platformdirs.user_cache_dir("awsir-tui"))
    return folder / f"event-names-botocore-{botocore.__version__}.json"


def names_by_source(cache: Path) -> dict[str, tuple[str, ...]]:
    """The names from ``cache`` if it holds a valid catalogue, else from botocore's
    models, written to ``cache`` for the next process (if it can be: a read-only home
    only costs the next start the models' read again)."""
    cached = _read(cache)
    if cached is not None:
        return cached
    built = from_botocore()
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
        for prefix in filter(None, prefixes):
            found.setdefault(f"{prefix.lower()}.amazonaws.com", set()).update(model["operations"])
    return {source: tuple(sorted(names)) for source, names in sorted(found.items())}


def _read(cache: Path) -> dict[str, tuple[str, ...]] | None:
    """The cache's catalogue, or None if it is missing, unreadable or not one (a file
    anyone could have written: only names and sources of their shape are taken)."""
    try:
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
