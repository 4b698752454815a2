"""Lone UTF-16 surrogates: the one kind of string Python holds but UTF-8 cannot.

Python's json turns the escape ``"\\ud800"`` into a lone surrogate character; anyone who
can put text into a log can write one. orjson refuses such a document and DuckDB such a
string, so a single one could hide a whole log file. The readers and the store replace
them with U+FFFD (and the readers say so) instead of losing the record around them.
"""

from __future__ import annotations

import re

SURROGATE = re.compile("[\ud800-\udfff]")


def replace_surrogates(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (unchanged when none)."""
    return SURROGATE.sub("\ufffd", text)
