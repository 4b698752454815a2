"""The footer of every view and prompt: the keys that fit whole, none cut.

Textual's Footer lays its keys out in a row and clips the row at its edge (before the
`^p keys` docked at the right): at 80 columns the last key showed as `E Event▏` or
`r Recoun▏`, which a responder reads as a broken key. This footer hides every key that
would not fit whole; the keys it hides are still listed by `?` and found by Ctrl+P.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Footer


class FittingFooter(Footer):
    """A Footer that shows only the keys whose whole label fits.

    It asks Textual's own layout where each key goes (:meth:`arrange`, the arrangement
    the footer is drawn with) and hides, rather than removes, those that end past the
    room the docked palette key leaves: a hidden key keeps its place, so the others do
    not move and a wider terminal shows it again at the next resize.
    """

    # The hidden keys still stand past the edge: the mouse wheel would scroll the row
    # to them, and show blank room where they are.
    DEFAULT_CSS = "FittingFooter { overflow-x: hidden; }"

    async def recompose(self) -> None:
        """The keys change with the bindings (focus, a view pushed): fit the new ones
        as soon as they are mounted, before the footer is drawn with them (unless the
        footer left the screen meanwhile: a view popped)."""
        await super().recompose()
        if self.is_attached:
            self._fit()

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    def _fit(self) -> None:
        room = self.scrollable_content_region.size
        arrangement = self.arrange(room)
        edge = room.width - arrangement.scroll_spacing.right
        for placement in arrangement.placements:
            if not placement.fixed:  # the docked palette key is always in sight
                placement.widget.visible = placement.region.right <= edge
