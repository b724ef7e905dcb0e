"""A scheduling constraint is a callback preference, a real opt-out still wins (`vocabulary/call_windows.py`)."""

from __future__ import annotations

import pytest

from vocabulary.call_windows import find_call_window, without_call_windows
from vocabulary.intents import is_dnc_request

CONSTRAINTS = [
    ("Don't call before noon.", "before noon"),
    ("please don't call us on Mondays", "on Mondays"),
    ("don't call during lunch", "during lunch"),
    ("Do not call before 10 am.", "before 10 am"),
    ("don't call after 5", "after 5"),
    ("never call during lunch, we're slammed", "during lunch"),
    ("Don't call us in the morning, we're with patients.", "in the morning"),
    ("don't ring before nine o'clock", "before nine o'clock"),
    ("Sure, but don't call on weekends.", "on weekends"),
    ("don't call between 12 and 2", "between 12 and 2"),
    ("Don't call at lunchtime", "at lunchtime"),
    ("don't call us so early", "so early"),
    ("Don't call Fridays.", "Fridays"),
    ("don't call while we're with patients", "while we're with patients"),
    ("do not call the office before 9:30", "before 9:30"),
    ("don't call during business hours", "during business hours"),
    ("Please don't call here on Mondays or Tuesdays.", "on Mondays or Tuesdays"),
    ("don't call mornings", "mornings"),
    ("Don't contact me before noon, I'm in surgery", "before noon"),
]

OPT_OUTS = [
    "Don't call before noon. Actually, don't call at all.",
    "don't call before noon or ever again",
    "don't call us after today",
    "don't call until we call you",
    "Don't call before noon. Take us off your list.",
    "don't call on Mondays, actually stop calling us completely",
    "don't call before noon, in fact just don't call us anymore",
    "never call here again",
    "don't call",
    "don't call us again",
    "don't call me ever",
    "do not call this number again",
    "don't call, period",
    "Don't call me. Ever.",
    "stop calling before noon",
    "Don't call me anymore",
    "Put us on your do not call list, and not before noon either.",
    "Don't call today or tomorrow or ever.",
    "don't call before noon, or any other time",
    "Don't call on Mondays or any other day.",
    "don't call in the morning or at all",
]


@pytest.mark.parametrize(("text", "window"), CONSTRAINTS)
def test_a_scheduling_constraint_is_a_window_not_an_opt_out(text: str, window: str) -> None:
    assert find_call_window(text) == window
    assert not is_dnc_request(text)


@pytest.mark.parametrize("text", OPT_OUTS)
def test_a_real_opt_out_phrased_any_way_still_wins(text: str) -> None:
    assert is_dnc_request(text)


def test_blanking_keeps_positions_and_the_rest_of_the_line() -> None:
    text = "Sure. Don't call before noon, and ask for Linda."
    blanked = without_call_windows(text)
    assert len(blanked) == len(text) and "before noon" not in blanked and blanked.endswith("ask for Linda.")


@pytest.mark.parametrize("bad", [None, "", 3, "before noon", "we open at noon"])
def test_no_window_without_a_constraint(bad: object) -> None:
    assert find_call_window(bad) is None  # type: ignore[arg-type]
