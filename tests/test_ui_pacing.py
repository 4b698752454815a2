"""RefreshPacer: a costly refresh is spaced by a multiple of what it cost."""

from __future__ import annotations

from awsir_tui.ui.pacing import RefreshPacer


def test_the_first_refresh_may_always_start() -> None:
    assert RefreshPacer().may_start(0.0)


def test_the_next_refresh_waits_spacing_times_the_last_ones_cost() -> None:
    pacer = RefreshPacer(spacing=3.0)
    pacer.ran(started=10.0, ended=10.5)  # a half-second full-text sort
    assert not pacer.may_start(10.6)
    assert not pacer.may_start(11.99)
    assert pacer.may_start(12.0)  # 1.5 s after it ended: at most a quarter of the time


def test_a_cheap_refresh_is_not_held_back() -> None:
    pacer = RefreshPacer(spacing=3.0)
    pacer.ran(started=5.0, ended=5.01)
    assert pacer.may_start(5.25)  # the next 0.25 s tick


def test_a_clock_going_backwards_costs_nothing() -> None:
    pacer = RefreshPacer()
    pacer.ran(started=2.0, ended=1.0)
    assert pacer.may_start(1.0)
