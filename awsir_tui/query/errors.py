"""The one error a filter can raise, pointing at the bad term.

The UI underlines ``text[position:position + length]`` and shows ``message``; the
headless commands print the same message with a caret line. Every malformed filter
ends here, never in a traceback: a responder at 3 a.m. must see what to fix.
"""

from __future__ import annotations


class FilterError(ValueError):
    """A filter that cannot be parsed or compiled, with the span of the offending term."""

    def __init__(self, message: str, position: int = 0, length: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.position = max(0, position)
        self.length = max(0, length)

    def caret(self, text: str) -> str:
        """Two lines for a terminal: the filter and a ``^^^`` under the bad span."""
        width = max(1, self.length)
        return f"{text}\n{' ' * self.position}{'^' * width}"
