"""cli/bars.py: a batch's progress bar on a terminal, with units, their rate and the time left."""

from __future__ import annotations

import io

import pytest

from scoring.cli import bars, consoles


@pytest.fixture
def terminal(monkeypatch):
    """stderr as a terminal that keeps what is drawn on it."""
    screen = io.StringIO()
    console = consoles.SafeConsole(file=screen, force_terminal=True, width=120)
    monkeypatch.setattr(consoles, "stderr", console)
    return screen


def test_runs_of_units_are_counted_by_their_size_with_the_rate_and_time_left(terminal):
    runs = [["a"] * 256, ["b"] * 256, ["c"] * 88]
    taken = list(bars.stream_progress(runs, "scoring", 600, size=len))
    assert taken == runs  # the items pass through as they come
    drawn = terminal.getvalue()
    assert "scoring" in drawn
    assert "600/600" in drawn  # the units, not the three runs
    assert "600 units, " in drawn  # and their rate (… before half a second has gone by)
    assert "0:00:00" in drawn  # the time left


def test_no_bar_when_stderr_is_not_a_terminal(monkeypatch):
    screen = io.StringIO()
    monkeypatch.setattr(consoles, "stderr", consoles.SafeConsole(file=screen))
    assert list(bars.stream_progress(range(5), "scoring", 5)) == list(range(5))
    assert screen.getvalue() == ""
