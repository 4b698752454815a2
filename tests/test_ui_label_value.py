"""``label  value`` lines of pages and panes (:mod:`awsir_tui.ui.detail_pane`), laid
out as they are drawn, on the values an attacker can write (a tag, a user agent)."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from awsir_tui.ui.detail_pane import FieldLines, broken, label_value


def test_the_label_is_dim_and_the_value_is_not() -> None:
    """The label's style was the whole line's: every value of the panes and of the EC2
    pages was drawn dim, as the labels are."""
    line = label_value(Text("ID", style="dim"), Text("i-0123456789abcdef0"), 10, 80)
    value_at = line.plain.index("i-0")
    assert line.get_style_at_offset(Console(), value_at).dim is not True
    assert line.get_style_at_offset(Console(), 0).dim is True
    console = Console(width=80)
    drawn = list(console.render(FieldLines([("kind", "arn")]), console.options))
    value = [segment for segment in drawn if "arn" in segment.text]
    assert value and not any(segment.style and segment.style.dim for segment in value), drawn
    assert any(segment.style and segment.style.dim for segment in drawn if "kind" in segment.text)


def test_a_value_s_leading_spaces_are_no_place_to_break() -> None:
    """Broken after them, the first line was empty and the value lost its indent."""
    lines = [line.plain for line in broken(Text("    " + "x" * 30), 10)]
    assert lines[0] == "    xxxxxx" and "".join(lines) == "    " + "x" * 30


def test_emoji_clusters_do_not_run_the_break_off_the_value() -> None:
    """rich counts an emoji with its variation selector as two cells whole and one
    cell character by character: the count ran past the value's end (IndexError)."""
    value = "\u2764\ufe0f" * 30
    lines = broken(Text(value), 10)
    assert "".join(line.plain for line in lines) == value
