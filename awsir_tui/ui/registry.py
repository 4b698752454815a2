"""Views by their `:` name, imported only when first opened (fast start-up).

Name -> (module, class). Aliases let k9s users type what their fingers know.
"""

from __future__ import annotations

import importlib
from typing import Any

VIEWS: dict[str, tuple[str, str]] = {
    "regions": ("awsir_tui.ui.regions", "RegionsView"),
    "indicators": ("awsir_tui.ui.case_views", "IndicatorsView"),
    "stack": ("awsir_tui.ui.stack_view", "StackView"),
    "posture": ("awsir_tui.ui.posture", "PostureView"),
    "instances": ("awsir_tui.ui.ec2_instances", "InstancesView"),
    "sg": ("awsir_tui.ui.ec2_groups", "SecurityGroupsView"),
    "keys": ("awsir_tui.ui.ec2_keys", "KeyPairsView"),
    "events": ("awsir_tui.ui.events_view", "EventsView"),
    "findings": ("awsir_tui.ui.findings_view", "FindingsView"),
    "load": ("awsir_tui.ui.load_view", "LoadView"),
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
    "timeline": "stack",
    "ioc": "indicators",
    "iocs": "indicators",
    "case": "indicators",
    "skipped": "load",
}


def resolve(name: str) -> str | None:
    """The view's registered name for what the user typed, or None: a name, an alias,
    or the start of exactly one name (``:insta``, as the prompt suggests it)."""
    name = name.strip().lstrip(":").lower()
    name = ALIASES.get(name, name)
    if name in VIEWS:
        return name
    starting = [view for view in VIEWS if name and view.startswith(name)]
    return starting[0] if len(starting) == 1 else None


def make_view(name: str, **arguments: Any) -> Any:
    """Instantiate the view registered as ``name`` with ``arguments``."""
    module_name, class_name = VIEWS[name]
    view_class = getattr(importlib.import_module(module_name), class_name)
    return view_class(**arguments)
