"""A JSON document as a navigable tree, and as highlighted text; both attacker-safe.

A CloudTrail record is the evidence, and its request parameters and user agent are
written by whoever made the call. Every key and value is cleaned and becomes plain
``Text`` (Tree would parse a ``str`` label as markup, so it never gets one); the text
view escapes control characters before highlighting. Very large records are cut, with
a note saying so, rather than freezing the screen: yanking still copies the whole value.
The tree spends its nodes a level at a time (:func:`left_out`), so that one big request
never hides the fields after it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, ClassVar

from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.syntax import Syntax
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from awsir_tui.text import clean, clean_multiline, inert_json_text
from awsir_tui.ui.paging_keys import Pages, lines_for, paging_keys_but

#: Longest value shown in a tree label; the whole value is still yanked.
LABEL_MAX = 300
#: Nodes built per document at most (a many-MB record has hundreds of thousands).
MAX_NODES = 5_000
#: Characters of the highlighted text view at most.
TEXT_MAX = 200_000

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class JsonNode:
    """What a tree node stands for: where it is in the document, and its value."""

    path: Path
    value: Any

    @property
    def key(self) -> str:
        """The last key of the path (an object key, or ``[3]`` for a list item)."""
        if not self.path:
            return ""
        last = self.path[-1]
        return f"[{last}]" if isinstance(last, int) else last

    @property
    def is_leaf(self) -> bool:
        return not isinstance(self.value, dict | list)

    @property
    def expands(self) -> bool:
        """Whether its node opens: a container with something in it (an empty one,
        ``blockDeviceMapping {}``, showed an arrow that opened on nothing)."""
        return not self.is_leaf and bool(self.value)

    def as_text(self) -> str:
        """The value as a yankable string: scalars as they are, objects as JSON."""
        if isinstance(self.value, str):
            return self.value
        return json.dumps(self.value, indent=2, ensure_ascii=False)


def json_text(value: Any, indent: int | None = None) -> str:
    """``value`` as JSON, inert as ``Y`` yanks it (:func:`inert_json_text`): every control
    written as JSON's ``\\u001b``, the 8-bit CSI and DEL too, which JSON leaves raw and
    :func:`clean` showed as ``\\x9b`` beside the JSON escapes."""
    return inert_json_text(json.dumps(value, indent=indent, ensure_ascii=False))


def scalar_text(value: Any) -> Text:
    """A scalar coloured by type, cleaned and shortened, as plain Text."""
    if isinstance(value, str):
        return Text(clean(json_text(value), LABEL_MAX), style="green")
    if value is None or isinstance(value, bool):
        return Text(json.dumps(value), style="italic magenta")
    return Text(clean(value, LABEL_MAX), style="cyan")


def node_label(node: JsonNode, left: int = 0) -> Text:
    """``key: value`` for a leaf, ``key {n}`` / ``key [n]`` for a container,
    ``key: {}`` / ``key: []`` for an empty one; a container whose last ``left`` children
    the tree leaves out says so, and where they are."""
    label = Text(clean(node.key, 120) if node.path else "event", style="bold")
    if isinstance(node.value, dict) and node.value:
        label.append(f" {{{len(node.value)}}}", style="dim")
    elif isinstance(node.value, list) and node.value:
        label.append(f" [{len(node.value)}]", style="dim")
    elif node.is_leaf:
        label.append(": ")
        label.append_text(scalar_text(node.value))
    else:
        label.append(f": {json.dumps(node.value)}", style="dim")
    if left:
        label.append(f" \u2026 {left:,} left out: y yanks it whole", style="yellow")
    return label


def _children(value: Any) -> Iterable[tuple[str | int, Any]]:
    """A container's ``(key, child)`` pairs in document order; a scalar has none."""
    if isinstance(value, dict):
        return value.items()
    if isinstance(value, list):
        return enumerate(value)
    return ()


def left_out(document: Any, budget: int) -> dict[int, int]:
    """How many children the tree shows of each container it cannot show whole, by the
    container's ``id()``, when it has room for ``budget`` nodes.

    Breadth first: every top-level field (a record has a few dozen) before any field
    inside one, and so on down; within a level the smaller containers first, so that a
    DeleteObjects' 3,000 keys cannot hide ``responseElements`` beside it, nor one
    container the small ones at its level. A depth-first walk spent the nodes on the
    first big request and left out every field after it."""
    shown: dict[int, int] = {}
    level = [document] if isinstance(document, dict | list) and document else []
    while level:
        below: list[Any] = []
        for value in sorted(level, key=len):
            count = min(len(value), budget)
            budget -= count
            if count < len(value):
                shown[id(value)] = count
            below.extend(child for _, child in islice(_children(value), count)
                         if isinstance(child, dict | list) and child)
        level = below
    return shown


def path_text(path: Path) -> str:
    """Where a node is, as one reads it: ``userIdentity.sessionContext.attributes``,
    ``resources[0].ARN`` (keys cleaned: they come from the record too)."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{clean(part, 60)}"
    return text.lstrip(".")


#: What ends a value too long for :func:`whole_text`'s lines: where the rest is.
CUT_NOTE = "\u2026 (cut: y yanks it whole)"


def whole_text(node: JsonNode, width: int, height: int) -> Text:
    """The node under the cursor, as the lines under the tree show it: where it is, and
    its value in full, the part a label cut off too. Broken at ``width`` characters, not
    at words (an ARN would leave a line half empty); past ``height`` lines, cut, and
    the end says where the rest is."""
    text = Text(path_text(node.path) or "event", style="bold")
    if node.is_leaf:
        text.append(" ")
        if isinstance(node.value, str):
            text.append(clean(node.value, width * height), style="green")
        else:
            text.append_text(scalar_text(node.value))
    if len(text) > width * height:
        text.truncate(max(0, width * height - len(CUT_NOTE)))
        text.append(CUT_NOTE, style="bold yellow")
    return Text("\n").join(text.divide(range(width, len(text), width)))


@dataclass(frozen=True, slots=True)
class WholeValue:
    """:func:`whole_text` of ``node`` at the width it is drawn at: a pane whose scrollbar
    comes and goes, or a terminal resized, breaks the lines again at the right edge
    (lines broken for a wider pane would each wrap once more, mid-word)."""

    node: JsonNode
    height: int

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield whole_text(self.node, options.max_width, self.height)


class JsonTree(Pages, Tree[JsonNode]):
    """The document as a tree: arrows move, space folds, search finds keys and values.

    j/k and g/G move as in every list of the app (Tree has only the arrows), and
    Ctrl+F/B, b and Ctrl+D/U page (:mod:`~awsir_tui.ui.paging_keys`). Space is Tree's
    own fold, not a page: given an id so that F1's list of keys names it too."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_node", "Fold/unfold", id="tree.fold", show=False),
        Binding("j", "cursor_down", show=False),
        Binding("k", "cursor_up", show=False),
        Binding("g,home", "cursor_to(0)", show=False),
        Binding("G,end", "cursor_to(-1)", show=False),
        *paging_keys_but("space"),
    ]

    def __init__(self, document: Any = None, *, id: str | None = None) -> None:
        super().__init__(Text("event", style="bold"), data=JsonNode((), document), id=id)
        self.auto_expand = False
        self.show_root = True
        if document is not None:
            self.load(document)

    def on_resize(self) -> None:
        """The cursor's line stays in sight when the tree gets shorter: the lines under
        it grow with the value under the cursor (a policy's four), and covered it."""
        node = self.cursor_node
        if node is not None:
            self.scroll_to_node(node, animate=False)

    def action_cursor_to(self, line: int) -> None:
        """g/G: the first or last line (negative counts from the end), in sight at once.

        Tree's own ``scroll_home``/``scroll_end`` animate the scroll, which the arrows do
        not; ``move_cursor`` moves and scrolls without it. Setting the cursor alone left
        the line off screen."""
        self.move_cursor(self.get_node_at_line(line))

    def page_by(self, pages: float) -> None:
        """The page down (up: negative) by ``pages`` of the lines in sight, the cursor
        as many lines on, where it was on the screen (Tree's own PageDown took the
        cursor to the bottom line first, and glided)."""
        step = lines_for(pages, self.scrollable_content_region.height - 1)
        line = max(0, min(self.last_line, self.cursor_line + step))
        self.scroll_to(y=self.scroll_y + step, animate=False, immediate=True)
        self.move_cursor(self.get_node_at_line(line))  # in sight, where a scroll ended

    def render_line(self, y: int) -> Strip:
        """A line cut at the right edge ends in an ellipsis: a cut ARN or ID looks whole
        otherwise (``...assumed-role/proxy/i-b254795``)."""
        strip = super().render_line(y)
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width  # not under the scrollbar
        lines = self._tree_lines
        if not 0 <= y + scroll_y < len(lines) or not 0 < width <= strip.cell_length:
            return strip
        line = lines[y + scroll_y]
        end = self.get_label_width(line.node) + line._get_guide_width(
            self.guide_depth, self.show_root
        )
        if end <= scroll_x + width:
            return strip
        style = next((segment.style for segment in strip.crop(width - 1, width)), None)
        return Strip.join([strip.crop(0, width - 1), Strip([Segment("\u2026", style)], 1),
                           strip.crop(width)])

    def process_label(self, label: str | Text) -> Text:
        """Labels are always Text here; a str would be parsed as markup, so clean it."""
        return label if isinstance(label, Text) else Text(clean(label))

    def load(self, document: Any) -> None:
        """Show ``document`` (top level expanded, deeper levels folded), at most
        :data:`MAX_NODES` nodes of it (:func:`left_out` says which)."""
        self.clear()
        self.root.data = JsonNode((), document)
        shown = left_out(document, MAX_NODES)
        self.root.set_label(node_label(self.root.data, self._left(document, shown)))
        grown: list[tuple[TreeNode[JsonNode], JsonNode]] = (
            [(self.root, self.root.data)] if self.root.data.expands else [])
        for parent, data in grown:  # breadth first: grows as it goes
            count = shown.get(id(data.value), len(data.value))
            for key, child in islice(_children(data.value), count):
                node = JsonNode((*data.path, key), child)
                left = self._left(child, shown)
                if not node.expands or left == len(child):  # nothing in it to open
                    parent.add_leaf(node_label(node, left), node)
                else:
                    grown.append((parent.add(node_label(node, left), node), node))
            if count < len(data.value):
                where = f"y on {clean(data.key, 40)}" if data.path else "Y"
                parent.add_leaf(Text(f"\u2026 {len(data.value) - count:,} more left out "
                                     f"(record too large): {where} yanks them all", "dim"))
        self.root.expand()

    @staticmethod
    def _left(value: Any, shown: dict[int, int]) -> int:
        """How many of ``value``'s children the tree leaves out."""
        return len(value) - shown[id(value)] if id(value) in shown else 0

    def walk(self) -> Iterator[TreeNode[JsonNode]]:
        """Every node below the root, depth first, in document order."""
        stack = list(reversed(self.root.children))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def search(self, needle: str, backward: bool = False) -> TreeNode[JsonNode] | None:
        """Move to the next node (``backward``: the one before) whose key or value
        contains ``needle`` (any case).

        Folded ancestors are opened. Wraps around; returns the node or None.
        """
        needle = needle.lower()
        if not needle:
            return None
        nodes = list(self.walk())
        current = self.cursor_node
        at = nodes.index(current) if current in nodes else -1
        if backward:  # from the node above the cursor up, then from the last node up
            order = nodes[:max(at, 0)][::-1] + nodes[max(at, 0):][::-1]
        else:
            order = nodes[at + 1:] + nodes[:at + 1]
        for node in order:
            data = node.data
            if data is None:
                continue
            haystack = data.key if not data.is_leaf else f"{data.key}\n{data.value}"
            if needle in haystack.lower():
                self.reveal(node)
                return node
        return None

    def reveal(self, node: TreeNode[JsonNode]) -> None:
        """Open ``node``'s ancestors and put the cursor on it."""
        parent = node.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        # Lines are rebuilt on the next refresh; move once they exist.
        self.call_after_refresh(self.move_cursor, node)


#: A match of the text view's search, and the one it is on (as ``less`` shows them).
MATCH_STYLE = "reverse"
CURRENT_MATCH_STYLE = "bold black on yellow"


def line_starts(plain: str, width: int) -> list[int]:
    """Where each line of ``plain`` starts, as a Static ``width`` cells wide breaks it
    (Textual's own wrapping, :meth:`Content.wrap`): the line a match is on, and the
    text the top line of the page begins with, which a search starts from."""
    starts: list[int] = []
    base = 0
    for line in plain.split("\n"):
        at = 0
        for piece in Content(line).wrap(max(1, width)):
            # Each piece is the line's text from where the one before ended, the spaces
            # a break fell on dropped (a tab, expanded, is not found: counted where it is).
            found = line.find(piece.plain, at) if piece.plain else at
            at = found if found >= 0 else at
            starts.append(base + at)
            at += len(piece.plain)
        base += len(line) + 1
    return starts


class TextSearch:
    """``/``, ``n`` and ``N`` in a text page (the event as highlighted text): the next
    match of a needle (any case) after the one shown, or after ``start``, wrapping
    round; the text with every match marked, the one shown most."""

    def __init__(self, text: Text) -> None:
        self.text = text
        self._lower = text.plain.lower()
        #: Where the match shown starts (None: none is).
        self.at: int | None = None
        #: The width the text was last broken at, and its lines' starts there.
        self._starts: tuple[int, list[int]] | None = None

    def line_starts(self, width: int) -> list[int]:
        """:func:`line_starts` of the text at ``width``, worked out once for each width
        the page is drawn at: n and N asked again at each press, which on 160 kB of a
        record that is no JSON (tabs in it) took 0.4 s a press."""
        if self._starts is None or self._starts[0] != width:
            self._starts = (width, line_starts(self.text.plain, width))
        return self._starts[1]

    def find(self, needle: str, start: int = 0, backward: bool = False) -> int | None:
        """The next match of ``needle`` from ``start`` (``backward``: the last one
        before it), wrapping round; None when there is none at all."""
        needle = needle.lower()
        if not needle:
            return None
        lower = self._lower
        if backward:
            found = lower.rfind(needle, 0, max(0, start + len(needle) - 1))
            found = found if found >= 0 else lower.rfind(needle)
        else:
            found = lower.find(needle, start)
            found = found if found >= 0 else lower.find(needle)
        self.at = found if found >= 0 else None
        return self.at

    def marked(self, needle: str) -> Text:
        """The text with each match of ``needle`` marked, the one shown most."""
        text = self.text.copy()
        needle = needle.lower()
        if needle:
            at = self._lower.find(needle)
            while at >= 0:
                style = CURRENT_MATCH_STYLE if at == self.at else MATCH_STYLE
                text.stylize(style, at, at + len(needle))
                at = self._lower.find(needle, at + 1)
        return text


def document_text(document: Any) -> Text:
    """The document pretty-printed and highlighted, control characters made visible as
    the whole event's yank (``Y``) writes them."""
    body = json_text(document, indent=2)
    note = ""
    if len(body) > TEXT_MAX:
        body, note = body[:TEXT_MAX], f"\n\u2026 cut at {TEXT_MAX:,} characters; Y yanks it all"
    text = Syntax(body, "json", theme="ansi_dark", word_wrap=True).highlight(body)
    text.rstrip()
    if note:
        text.append(note, style="bold yellow")
    return text


def raw_text(raw: str, problem: str) -> Text:
    """A record that is not valid JSON: the warning, then the raw string, cleaned."""
    text = Text(f"\u26a0 {clean(problem, 300)}\n\n", style="bold yellow")
    body = clean_multiline(raw)
    if len(body) > TEXT_MAX:
        body = body[:TEXT_MAX] + "\u2026"
    text.append(body)
    return text
