"""Views by their `:` name, imported only when first opened (fast start-up).

Name -> (module, class). Aliases let k9s users type what their fingers know.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterable
from typing import Any

VIEWS: dict[str, tuple[str, str]] = {
    "regions": ("awsir_tui.ui.regions", "RegionsView"),
    "indicators": ("awsir_tui.ui.case_views", "IndicatorsView"),
    "timeline": ("awsir_tui.ui.case_timeline", "TimelineView"),
    "stack": ("awsir_tui.ui.stack_view", "StackView"),
    "posture": ("awsir_tui.ui.posture", "PostureView"),
    "instances": ("awsir_tui.ui.ec2_instances", "InstancesView"),
    "sg": ("awsir_tui.ui.ec2_groups", "SecurityGroupsView"),
    "keys": ("awsir_tui.ui.ec2_keys", "KeyPairsView"),
    "events": ("awsir_tui.ui.events_view", "EventsView"),
    "findings": ("awsir_tui.ui.findings_view", "FindingsView"),
    "load": ("awsir_tui.ui.load_view", "LoadView"),
    "evidence": ("awsir_tui.ui.evidence", "EvidenceView"),
}
ALIASES: dict[str, str] = {
    "ec2": "instances",
    "securitygroups": "sg",
    "security-groups": "sg",
    "groups": "sg",
    "keypairs": "keys",
    "key-pairs": "keys",
    "trail": "events",
    "cloudtrail": "events",
    "region": "regions",
    "count": "stack",
    "ioc": "indicators",
    "iocs": "indicators",
    "case": "indicators",
    "notes": "timeline",
    "skipped": "load",
    "copies": "evidence",
    "forensics": "evidence",
    "snapshots": "evidence",
}


#: Starts of a name that open one view although another view's name starts so too:
#: the events view, opened most, keeps `:e` and `:ev`, which opened it before
#: :evidence came (a code review: a k9s hand types the shortest start).
FIRST_LETTERS = {"e": "events", "ev": "events"}


def resolve(name: str, also: Iterable[str] = ()) -> str | None:
    """The view's registered name for what the user typed, or None: a name, an alias,
    or the start of exactly one name (``:insta``, as the prompt suggests it). ``also``:
    names the caller answers besides views (the `:` prompt's ``help``), matched by the
    same rule so that a start the prompt suggests for them works as for a view's."""
    name = name.strip().lstrip(":").lower()
    name = ALIASES.get(name, name)
    names = [*VIEWS, *also]
    if name in names:
        return name
    if name in FIRST_LETTERS:
        return FIRST_LETTERS[name]
    starting = starting_with(name, also)
    return starting[0] if len(starting) == 1 else None


def starting_with(typed: str, also: Iterable[str] = ()) -> list[str]:
    """The views' names (and ``also``) that ``typed`` is the start of: one opens its view
    (:func:`resolve`); several are what the `:` prompt names ("'s' starts sg and stack")."""
    start = typed.strip().lstrip(":").lower()
    return [known for known in [*VIEWS, *also] if start and known.startswith(start)]


def split_command(text: str) -> tuple[str, str]:
    """``:events name:RunInstances`` as typed at the `:` prompt: the view's name, and
    the filter after it ('' if none), as a vim or k9s user types a command's argument."""
    name, _, rest = text.strip().partition(" ")
    return name, rest.strip()


def takes_filter(name: str) -> bool:
    """Whether the view registered as ``name`` opens with a filter (``filter_text``)."""
    return "filter_text" in inspect.signature(view_class(name)).parameters


def filter_refusal(name: str, text: str) -> str | None:
    """Why ``text`` is not a filter of the view registered as ``name`` (None if it is):
    ``:events nmae:X`` is refused at the `:` prompt, with the text there to mend,
    rather than open a view that shows nothing and says why only in its filter bar.
    Every view that takes a filter names its fields (``fields``)."""
    from awsir_tui.query import FilterError, parse

    try:
        parse(text, view_class(name).fields)
    except FilterError as error:
        return error.message
    return None


def make_view(name: str, **arguments: Any) -> Any:
    """Instantiate the view registered as ``name`` with ``arguments``; made with text
    alone (a filter), it can be made again so: its ``place_name`` says where."""
    view = view_class(name)(**arguments)
    if all(isinstance(value, str) for value in arguments.values()):
        view.place_name = name
    return view


def view_class(name: str) -> Any:
    """The class of the view registered as ``name`` (its module imported now)."""
    module_name, class_name = VIEWS[name]
    return getattr(importlib.import_module(module_name), class_name)


def binding_ids() -> set[str]:
    """Every binding id a keymap can name: those of the app's own views and widgets.

    Imports every view's module (a keymap check runs once, off the UI thread), then
    reads the ``BINDINGS`` each class of this package declares.
    """
    from textual.binding import Binding
    from textual.dom import DOMNode

    for module_name in ["awsir_tui.app", *(module for module, _ in VIEWS.values())]:
        importlib.import_module(module_name)
    found: set[str] = set()
    classes: list[type] = [DOMNode]
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        if not cls.__module__.startswith("awsir_tui."):
            continue
        for binding in cls.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.id:
                found.add(binding.id)
    return found
