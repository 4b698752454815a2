"""One CloudTrail event in full: a JSON tree to walk, highlighted text, pivots, yank.

Reading each event's JSON (AMI, source IP, key, error code) and pivoting on what it
names is the heart of the investigation. Enter on a value asks a new question about it:
a user, access key, IP, event name, account or resource filters events by it (a new
view, so Esc comes back here); an instance, security group or key pair opens the EC2
view of it.
``y`` yanks the value under the cursor, ``Y`` the whole event: to the clipboard over
OSC 52 (works over SSH in most terminals) and to a file, whose path is shown, for
terminals that ignore OSC 52.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Input, Static

from awsir_tui.case.pivot import role_session, session_filter
from awsir_tui.case.secrets import REDACTED, redact_text
from awsir_tui.detect.addresses import is_ip
from awsir_tui.events.event_export import safe_record
from awsir_tui.events.record import RESOURCE_KEYS, Event
from awsir_tui.events.sources import EventSource, HistorySource, StoreSource, Subject
from awsir_tui.query import quote
from awsir_tui.query.times import utc_text
from awsir_tui.text import clean
from awsir_tui.ui.base import Mark, TextScroll, View, app_of
from awsir_tui.ui.detail_pane import DetailPane, PaneView
from awsir_tui.ui.json_view import (
    JsonNode,
    JsonTree,
    TextSearch,
    WholeValue,
    document_text,
    raw_text,
)
from awsir_tui.ui.typeahead import ReleasesKeys
from awsir_tui.ui.yank import yank, yank_tree_value

#: An instance ID: hex, in either case (anonymised logs write i-786a3A8B5C0d92eF4),
#: also within a value (``AROA...:i-0abc``, a role session's principal ID or ARN); not
#: a word such as a role named i-Engineers.
_INSTANCE = re.compile(r"(?<![\w-])i-[0-9A-Fa-f]{8,17}(?![\w-])")
_GROUP = re.compile(r"sg-[0-9a-f]{8,17}")
_KEY_PAIR = re.compile(r"key-[0-9a-f]{8,17}")
#: Lines of a value the pane under the tree holds at most (a request parameter can be
#: megabytes): some 16,000 characters at 80 columns, an error message many times over.
VALUE_LINES = 200

#: The record's keys whose value is an events filter field, by the field's name.
FIELD_BY_KEY = {
    "accessKeyId": "key",
    "sourceIPAddress": "ip",
    "eventName": "name",
    "eventSource": "source",
    "errorCode": "error",
    "userAgent": "agent",
    "awsRegion": "region",
    "eventID": "id",
    "userName": "user",
    "principalId": "user",
    # The receiver's, a resource's, and the caller's when it is the receiver's (one of
    # another account is :func:`pivot_for`'s own). account: matches the receiver (the
    # caller when a record names none).
    "accountId": "account",
    "recipientAccountId": "account",
    # userIdentity.type (not eventType): AssumedRole, IAMUser, Root, AWSService...
    "type": "type",
}


#: The record's keys whose value's indicator kind the key tells (the rest is guessed
#: from the value: IDs and ARNs have their shapes; a user agent or a key pair's name not).
KIND_BY_KEY = {
    "sourceIPAddress": "ip",
    "userAgent": "user-agent",
    "accessKeyId": "access-key",
    "userName": "user",
    # A role session's (AROA...:i-...): user: finds its events, the instance's among them.
    "principalId": "user",
    "keyName": "key-pair",
    "eventID": "event-id",
}


def kind_of(node: JsonNode) -> str | None:
    """The indicator kind of a value, as its place in the record tells it (None: guess
    it from the value). The role behind a session (``sessionIssuer.userName``) is not a
    user, and a service's name as ``sourceIPAddress`` (``ec2.amazonaws.com``) no IP."""
    kind = KIND_BY_KEY.get(node.key)
    if kind == "user" and "sessionIssuer" in node.path:
        return None
    if kind == "ip" and not is_ip(str(node.value)):
        return None
    return kind


def named_instances(values: Iterable[object]) -> list[str]:
    """Each instance ID in ``values``, once and as first written: the same ID in two
    cases is one instance (anonymised logs mix them; the events filter E opens matches
    IDs in any case, as every filter does)."""
    found: dict[str, str] = {}
    for value in values:
        if isinstance(value, str):
            for instance in _INSTANCE.findall(value):
                found.setdefault(instance.lower(), instance)
    return list(found.values())


def leaf_values(value: object) -> Iterator[object]:
    """Every value of a record that is no object or list, the whole record's (the tree
    stops drawing at its node limit)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from leaf_values(item)
    elif isinstance(value, list):
        for item in value:
            yield from leaf_values(item)
    else:
        yield value


def delivered_to_an_instance(record: dict[str, Any]) -> bool:
    """Whether the caller's credentials are an instance role's, as EC2 delivered them
    (``sessionContext.ec2RoleDelivery``): a session name alone is whatever the caller of
    AssumeRole chose, an instance ID included."""
    identity = record.get("userIdentity")
    context = identity.get("sessionContext") if isinstance(identity, dict) else None
    return isinstance(context, dict) and bool(context.get("ec2RoleDelivery"))


def event_instance(event: Event, choose: str) -> tuple[str | None, str]:
    """The instance ``event`` is of, for E where no value under the cursor names one
    (the event's page, a row of the events list), and what to say of it: the caller's
    instance when an instance role's session made the call (its user name is the
    instance ID), else the one instance the record names; which of the two, since the
    cursor did not choose it. None, and why, when neither; ``choose`` says how to pick
    one of several the event names."""
    caller = event.user_name
    record = event.record()
    if _INSTANCE.fullmatch(caller):
        return caller, (f"events of {clean(caller, 30)}: "
                        + ("the caller's instance (its role's credentials made this call)"
                           if delivered_to_an_instance(record) else
                           "the instance the caller's session is named after (an instance "
                           "role's are; whoever assumes a role may name a session so)"))
    named = named_instances(leaf_values(record))
    if len(named) == 1:
        return named[0], f"events of {clean(named[0], 30)}: the one instance this event names"
    if named:
        listed = ", ".join(clean(instance, 30) for instance in named[:3])
        more = ", …" if len(named) > 3 else ""
        return None, f"this event names {len(named)} instances ({listed}{more}): {choose}"
    return None, ("no instance here: the caller's user name is no instance ID and the "
                  "event names none")


@dataclass(frozen=True, slots=True)
class Pivot:
    """Where Enter on a value leads: a view by its `:` name, with its arguments."""

    view: str
    label: str
    arguments: dict[str, Any] = field(default_factory=dict)


def pivot_for(node: JsonNode, event: Event) -> Pivot | None:
    """The pivot for a value of ``event`` (None when the value names nothing to follow)."""
    value = node.value
    if not node.path or not isinstance(value, str | int) or isinstance(value, bool):
        return None
    text = str(value)
    key = str(node.path[-1]) if not isinstance(node.path[-1], int) else str(node.path[-2])
    if not text:
        return None
    if _INSTANCE.fullmatch(text):
        return Pivot("instances", f"instance {text}", {"filter_text": f"id:={text}"})
    if _GROUP.fullmatch(text):
        return Pivot("sg", f"security group {text}", {"filter_text": f"id:={text}"})
    if _KEY_PAIR.fullmatch(text):
        return Pivot("keys", f"key pair {text}", {"filter_text": f"id:={text}"})
    if key == "keyName":
        return Pivot("keys", f"key pair {text}", {"filter_text": f"name:={quote(text)}"})
    in_identity = node.path[0] == "userIdentity"
    if in_identity and key == "accountId" and text != event.account_id:
        # A caller of another account (or the role behind its session): what its
        # principals did, by their ARNs. account:= is the receiver, and finds nothing of
        # such a caller. The caller of the event's own account is account:=, the field
        # named for it, not an ARN substring.
        filter_text = f"user:{quote(f':{text}:')}"
        return Pivot("events", filter_text, {"filter_text": filter_text})
    name = FIELD_BY_KEY.get(key) or ("user" if in_identity and key == "arn" else None)
    if name == "type" and (not in_identity or "sessionIssuer" in node.path):
        name = None  # a resource's type, or the role's behind the session: no event field
    if name == "user" and in_identity and "sessionIssuer" in node.path:
        name = None  # the role behind the session: a resource, not the session's user
    # A ``name`` is a resource only where the record's resources say so: a search
    # filter's and an instance state's are not, and ``resource:=`` would find nothing.
    if name is None and ((key in RESOURCE_KEYS and key != "name") or text in event.resources):
        name = "resource"
    if name == "user" and not in_identity:
        # A user named in a request (CreateUser's userName): what was done to it, and
        # what it did once it existed.
        filter_text = f"user:={quote(text)} OR resource:={quote(text)}"
        return Pivot("events", filter_text, {"filter_text": filter_text})
    if name is None:
        return None
    # The caller's own session: its user name, which LookupEvents looks up (Username),
    # and the value filtered here (:func:`~awsir_tui.case.pivot.session_filter`).
    session = session_filter(text) if name == "user" and is_callers_session(node, event) else None
    filter_text = session or f"{name}:={quote(text)}"
    return Pivot("events", filter_text, {"filter_text": filter_text})


def is_callers_session(node: JsonNode, event: Event) -> bool:
    """Whether ``node`` is the caller's principal ID (``ROLEID:SESSION``) or ARN
    (``…:assumed-role/ROLE/SESSION``) of a role session named as the event's user name
    (what Event history looks up): the shape :func:`~awsir_tui.case.pivot.role_session`
    reads in a marked value, checked here against the record as well."""
    if node.path not in (("userIdentity", "principalId"), ("userIdentity", "arn")):
        return False
    session = role_session(str(node.value))
    return bool(session) and session == event.user_name


def pivot_source(view: View, source: EventSource | None) -> EventSource | None:
    """Where a pivot from an event of ``source`` (Enter on a value, `E`) looks for
    everything else it did. A drill-down's rows (a finding's events, a :stack group's)
    share the store of the list they came from; when an Event history read filled it,
    that store holds only the read's events (`:events name:ImportKeyPair`'s), and a
    pivot there found 1 event of an instance Event history has 111 of, its plan line
    saying "run on the store". Such a pivot asks Event history; an archive's
    drill-down shares the archive's whole store, searched there."""
    if (isinstance(source, StoreSource) and source.origin is not None
            and source.origin.lookup is not None):
        from awsir_tui.ui.events_view import history_source

        return history_source(view)
    return source


def bounded_pivot(
    view: View, source: EventSource | None, filter_text: str, first: datetime,
    last: datetime | None = None,
) -> str:
    """``filter_text`` for a pivot into ``source``, limited to the days around ``first``
    to ``last`` when Event history would have to read every event to answer it (an IP,
    an agent: LookupEvents cannot look them up), and the responder told so."""
    if not isinstance(source, HistorySource):
        return filter_text
    bounded = source.around(filter_text, first, last)
    if bounded is None:
        return filter_text
    view.notify(
        "LookupEvents cannot look this up, so every event is read: only the days "
        "around where it was seen (4: all 90 days)", timeout=8,
    )
    return bounded


def document_of(event: Event) -> Any:
    """The record for the tree, secrets redacted; a record that is not JSON shows what
    is known of it."""
    record = safe_record(event)
    if isinstance(record, dict):
        return record
    return {
        "eventID": event.event_id,
        "eventTime": event.event_time.isoformat(),
        "eventName": event.event_name,
        "eventSource": event.event_source,
        "awsRegion": event.aws_region,
        "userName": event.user_name,
        "accessKeyId": event.access_key_id,
        "resources": list(event.resources),
        "CloudTrailEvent (not valid JSON)": record,
    }


def summary_text(event: Event) -> Text:
    """One line above the tree: when, what, who, from where, and how it ended."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{utc_text(event.event_time)} ")
    text.append(clean(event.event_name, 60), style="bold")
    text.append(f"  {clean(event.user_name, 60)} from {clean(event.source_ip, 60)}")
    text.append(f"  {clean(event.aws_region, 20)}")
    if event.error_code:
        text.append(f"  {clean(event.error_code, 60)}", style="bold red")
    if event.parse_error:
        text.append(f"\n\u26a0 {clean(event.parse_error, 200)}: shown raw", style="bold yellow")
    return text


class EventSearch(Input):
    """/'s prompt on the event's page. Esc closes it and leaves the page where it was,
    as Esc closes the list's filter prompt: the page's own Esc (back) went on to the
    list, and the folds opened and the place read were lost."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "screen.close_search", "Close search", id="event.search_close"),
    ]


class EventDetailView(ReleasesKeys, PaneView):
    """The event as a tree (default) or as highlighted text."""

    crumb = "event"
    help_text = """
The whole CloudTrail record. Arrows move, space folds, t switches between the tree and
highlighted text. Ctrl+F/B (or b) page and Ctrl+D/U half a page, in both; space, which
pages the lists and the text, folds in the tree. / searches the one on screen: the tree's
keys and values, or the text, its matches marked (n: next, N: previous, in either; the
case note, N elsewhere, is in Ctrl+P here); Esc closes the search, the next one leaves
the page. A line cut at the right edge ends in …: the lines under
the tree show the value under the cursor whole, on up to two fifths of the screen; J/K
scroll them when it needs more (a scrollbar says so).

Enter on a value in the tree pivots: user, access key, IP, event name, account or
resource -> the list of events with it (from Event history, a value LookupEvents cannot
look up, an IP, an agent or an account, is read for the day either side of the event: 4
in that list widens it to 90 days; a role session's principal ID or ARN is looked up by
its session name, Event history's user name, and re-checked here); an instance,
security group or key pair -> its EC2 view. E on a value naming an instance (its ID, a
role session's principal ID or ARN): every event of that instance; elsewhere, of the
caller's instance (a role session named after it: its credentials), or else of the one
instance the event names. y yanks the
value under the cursor, Y the whole event (clipboard + a file). m marks the value
under the cursor and keeps this event with it in the case, the evidence where it was
seen (:indicators counts it, :timeline lists it); elsewhere, the event alone.
"""
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: ahead of Tree's own Enter, which the footer would show unlabelled.
        Binding("enter", "pivot", "Pivot", id="event.pivot", priority=True),
        Binding("E", "instance_events", "Instance events", id="event.instance_events"),
        Binding("t", "toggle_text", "Tree/text", id="event.text"),
        Binding("slash", "search", "Search", id="event.search", key_display="/"),
        Binding("n", "search_next", "Next", id="event.next", show=False),
        # As in less and vim; the case note (N elsewhere) is written from any other view.
        Binding("N", "search_previous", "Previous", id="event.previous", show=False),
        Binding("y", "yank", "Yank value", id="event.yank"),
        Binding("Y", "yank_event", "Yank event", id="event.yank_event"),
    ]
    DEFAULT_CSS = """
    EventDetailView #event-summary {
        height: auto; max-height: 2; text-wrap: nowrap; text-overflow: ellipsis;
    }
    EventDetailView #event-text-scroll { display: none; }
    EventDetailView.-text #event-text-scroll { display: block; }
    EventDetailView.-text #event-tree { display: none; }
    EventDetailView #event-value {
        height: auto; max-height: 40%; border-top: none; background: $boost;
    }
    EventDetailView.-text #event-value { display: none; }
    EventDetailView #event-search { display: none; height: 1; border: none; }
    EventDetailView #event-search.-shown { display: block; }
    """

    def __init__(self, event: Event, source: EventSource | None = None) -> None:
        super().__init__()
        self.event = event
        self.source = source
        #: What / last looked for, in either view: n and N go on with it in both.
        self.last_search = ""
        self.text_search = TextSearch(Text())
        self.crumb = f"event {clean(event.event_name, 30) or clean(event.event_id, 12)}"

    def compose_body(self) -> Iterable[Widget]:
        yield Static(summary_text(self.event), id="event-summary")
        yield JsonTree(document_of(self.event), id="event-tree")
        yield DetailPane(id="event-value")
        with TextScroll(id="event-text-scroll"):
            yield Static(id="event-text")
        yield EventSearch(placeholder="search keys and values", id="event-search")

    @property
    def json_tree(self) -> JsonTree:
        return self.query_one(JsonTree)

    def on_mount(self) -> None:
        event = self.event
        body = (
            raw_text(redact_text(event.raw), event.parse_error)
            if event.parse_error
            else document_text(document_of(event))
        )
        self.text_search = TextSearch(body)
        self.query_one("#event-text", Static).update(body)
        if event.parse_error:
            self.add_class("-text")
        self.json_tree.focus()

    def on_tree_node_highlighted(self, message: JsonTree.NodeHighlighted[JsonNode]) -> None:
        """Under the tree, the value under the cursor in full: the tree cuts a long one
        (an ARN's instance ID, an error message naming the role it was denied) at the
        right edge. The pane grows to its CSS's max-height, then scrolls (J/K); past
        :data:`VALUE_LINES` lines the value is for the clipboard (y)."""
        data = message.node.data
        self.query_one(DetailPane).show(WholeValue(data, VALUE_LINES) if data else Text())

    # -- pivots -----------------------------------------------------------------------

    def _node(self) -> JsonNode | None:
        node = self.json_tree.cursor_node
        return node.data if node is not None else None

    def on_tree_node_selected(self, message: JsonTree.NodeSelected[JsonNode]) -> None:
        """A click on a value pivots as Enter does."""
        message.stop()
        self._pivot()

    def mark_at_cursor(self) -> Mark | None:
        """`m` on a value (an IP, a key, a user agent...) keeps it as seen in this event:
        at the event's time, in its region, its kind told by the record's key, with the
        event itself as its evidence (the value alone left the case without it:
        `:indicators` counted 0 events naming it, `:timeline` had nothing). Not a
        secret the tree shows redacted: ``**REDACTED**`` as an indicator went into the
        case and the export's grep list, matching nothing the attacker did."""
        data = self._node()
        if data is None or not data.is_leaf or self.has_class("-text"):
            return None
        text = data.as_text()
        if not text or text == REDACTED:
            return None
        event = self.event
        return Mark(
            text,
            f"event {event.event_name} {event.event_id}",
            kind=kind_of(data),
            region=event.aws_region,
            ref=event.event_id,
            seen=event.event_time,
            evidence=event,
        )

    def event_at_cursor(self) -> Event | None:
        """`m` anywhere but on a value keeps the whole event on the timeline."""
        data = self._node()
        return None if data is not None and data.is_leaf else self.event

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter pivots on the tree's values: not in the text view, which has none (so
        the footer leaves ⏎ Pivot out there), nor in the search box, whose Enter it is.
        J/K scroll the value's pane under the tree: the text view hides it, and its
        help listed them there as if they scrolled something."""
        if action == "pivot":
            return not self.has_class("-text") and not isinstance(self.focused, Input)
        if action in ("detail_down", "detail_up"):  # J/K: the text view hides the pane
            return not self.has_class("-text")
        return super().check_action(action, parameters)

    def action_pivot(self) -> None:
        """Enter: follow the value under the cursor (fold/unfold a container), once
        the keys typed before it have moved the cursor (a priority key: View.after_keys)."""
        self.after_keys(self._pivot)

    def _pivot(self) -> None:
        data = self._node()
        if data is None:
            return
        if not data.is_leaf:
            node = self.json_tree.cursor_node
            if node is not None:
                node.toggle()
            return
        pivot = pivot_for(data, self.event)
        if pivot is None:
            self.notify("a secret, shown redacted: nothing to pivot on or yank"
                        if data.as_text() == REDACTED
                        else "nothing to pivot on here; y yanks the value")
            return
        if pivot.view == "events":
            from awsir_tui.ui.events_view import EventsView

            source = pivot_source(self, self.source)
            filter_text = bounded_pivot(self, source, pivot.arguments["filter_text"],
                                        self.event.event_time)
            self.app.push_screen(EventsView(source=source, filter_text=filter_text,
                                            pivot=True))
        else:
            app_of(self).open_view(pivot.view, **pivot.arguments)

    def action_instance_events(self) -> None:
        """E: an instance's role's sessions and the events naming it. The instance in
        the value under the cursor; elsewhere (the root, where a responder reading a
        stolen credential's call stands) the event's own: see :func:`event_instance`."""
        data = self._node()
        value = str(data.value) if data is not None and data.is_leaf else ""
        found = _INSTANCE.search(value)
        instance = found.group() if found is not None else self._event_instance()
        if instance is None:
            return
        from awsir_tui.ui.events_view import EventsView

        subject = Subject("instance", instance)
        self.app.push_screen(EventsView(subject=subject, source=pivot_source(self, self.source)))

    def _event_instance(self) -> str | None:
        """The event's own instance (:func:`event_instance`), said with why."""
        instance, why = event_instance(self.event, "E on the one to follow")
        self.notify(why)
        return instance

    # -- view -------------------------------------------------------------------------

    def action_toggle_text(self) -> None:
        self.toggle_class("-text")
        if not self.has_class("-text"):
            self.json_tree.focus()
        else:
            self.query_one("#event-text-scroll").focus()
        self.refresh_bindings()

    def action_search(self) -> None:
        """/: a search of the view on screen, the tree's keys and values or the text
        (it went back to the tree, and left the text the responder was reading)."""
        search = self.query_one("#event-search", Input)
        search.placeholder = ("search the text" if self.has_class("-text")
                              else "search keys and values")
        search.add_class("-shown")
        search.focus()

    def action_close_search(self) -> None:
        """Esc in the search (and its Enter, which then looks): the prompt closed, the
        tree or the text focused again, the cursor where it was; the next Esc leaves
        the page."""
        search = self.query_one(EventSearch)
        search.remove_class("-shown")
        in_text = self.has_class("-text")
        (self.query_one("#event-text-scroll") if in_text else self.json_tree).focus()
        self.refresh_bindings()

    def on_input_submitted(self, message: Input.Submitted) -> None:
        message.stop()
        self.action_close_search()
        if message.value:
            self.last_search = message.value
            self._search(start_over=True)
        app_of(self).typeahead.prompt_closed()  # `n` typed right after Enter: next match

    def action_search_next(self, backward: bool = False) -> None:
        """n (N: ``backward``): the next match of the last search, in the view on screen
        (a search made in the other one goes on here). The search wraps round, so none
        is found only when nothing matches at all: said as / says it."""
        if not self.last_search:
            self.notify("no search yet: / searches")
        else:
            self._search(backward=backward)

    def _search(self, backward: bool = False, start_over: bool = False) -> None:
        """The next match of :attr:`last_search` in the tree, or the text: there from
        the match shown, or (``start_over``, or none in sight) the top of the page."""
        needle = self.last_search
        if not self.has_class("-text"):
            found = self.json_tree.search(needle, backward=backward) is not None
        else:
            found = self._search_text(needle, backward, start_over)
        if not found:
            self.notify(f"not found: {clean(needle, 60)}")

    def _search_text(self, needle: str, backward: bool, start_over: bool) -> bool:
        """Show the text's next match of ``needle`` (:meth:`_search`), marked, its line a
        third of the way down the page."""
        search = self.text_search
        static = self.query_one("#event-text", Static)
        scroll = self.query_one("#event-text-scroll", TextScroll)
        starts = search.line_starts(static.content_size.width)
        top = starts[min(round(scroll.scroll_y), len(starts) - 1)] if starts else 0
        shown = search.at
        in_sight = shown is not None and top <= shown and bisect_right(
            starts, shown) - 1 < scroll.scroll_y + scroll.scrollable_content_region.height
        if start_over or not in_sight:
            at = search.find(needle, top, backward)
        else:
            assert shown is not None
            at = search.find(needle, shown if backward else shown + 1, backward)
        static.update(search.marked(needle))
        if at is None:
            return False
        line = bisect_right(starts, at) - 1
        page = scroll.scrollable_content_region.height
        scroll.call_after_refresh(scroll.scroll_to, y=max(0, line - page // 3),
                                  animate=False, immediate=True)
        return True

    def action_search_previous(self) -> None:
        self.action_search_next(backward=True)

    # -- yank -------------------------------------------------------------------------

    def action_yank(self) -> None:
        yank_tree_value(self, self.json_tree, "event")

    def action_yank_event(self) -> None:
        """Y: the record as JSON; one that is not JSON as the text it is, inert as the
        page shows it (JSON's escapes in a file that is no JSON matched nothing on it)."""
        record = safe_record(self.event)
        is_json = isinstance(record, dict)
        text = json.dumps(record, indent=2, ensure_ascii=False) if is_json else str(record)
        yank(self, text, "the whole event (secrets redacted)", "json" if is_json else "txt")
