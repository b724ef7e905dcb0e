"""Email recognition: literal and spoken forms, generic inboxes, read-back wording, bad input."""

from __future__ import annotations

import pytest

from vocabulary.emails import EmailMatch, find_email, is_generic_email, speakable_email


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("jane@glowspa.com", "jane@glowspa.com"),
        ("Sure, send it to Jane@GlowSpa.com.", "jane@glowspa.com"),
        ("it's jane.doe@glowspa.co.uk thanks", "jane.doe@glowspa.co.uk"),
        ("dr_smith-2@bright-smile.dental", "dr_smith-2@bright-smile.dental"),
    ],
)
def test_literal_addresses(text: str, address: str) -> None:
    match = find_email(text)
    assert match == EmailMatch(address=address, spoken=False)


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("jane at glow spa dot com", "jane@glowspa.com"),
        ("Sure, it's jane at glow spa dot com.", "jane@glowspa.com"),
        ("Yeah you can send it to jane at glowspa dot com please", "jane@glowspa.com"),
        ("j a n e at glowspa dot com", "jane@glowspa.com"),
        ("it's J-A-N-E at glowspa.com", "jane@glowspa.com"),
        ("j.a.n.e at glowspa dot com", "jane@glowspa.com"),
        ("Yeah it is a n n a at spa dot com", "anna@spa.com"),
        ("jane underscore doe at glow dash spa dot co dot uk", "jane_doe@glow-spa.co.uk"),
        ("jane dash doe at gmail dot com", "jane-doe@gmail.com"),
        ("jane dot doe at gmail dot com thanks", "jane.doe@gmail.com"),
        ("jane at sign glowspa dot com", "jane@glowspa.com"),
        ("jane@glow spa dot com", "jane@glowspa.com"),
        ("jane 2 at glowspa dot com", "jane2@glowspa.com"),
        ("m i k e at bright smile dental dot com please", "mike@brightsmiledental.com"),
        ("the manager is dr smith at glow spa dot net", "smith@glowspa.net"),
        ("b e l l a double l at x dot io", "bellall@x.io"),
        ("info at glowspa dot com", "info@glowspa.com"),
        ("jane at glowspa dot co", "jane@glowspa.co"),
    ],
)
def test_spoken_addresses(text: str, address: str) -> None:
    match = find_email(text)
    assert match is not None, text
    assert match.address == address
    assert match.spoken is True


@pytest.mark.parametrize(
    "text",
    [
        "",
        "I'm at lunch",
        "she's at the front desk",
        "she is at the front desk dot",
        "we are at 5 main street",
        "call me at noon",
        "it's at glowspa",  # no top-level domain
        "jane at dot com",  # no domain name
        "at glowspa dot com",  # no local part
        "send it to the manager at the clinic dot",
        "just use that",
    ],
)
def test_not_an_address(text: str) -> None:
    assert find_email(text) is None


@pytest.mark.parametrize("bad", [None, 42, b"jane@x.com", ["jane@x.com"]])
def test_bad_input_is_no_address(bad: object) -> None:
    assert find_email(bad) is None  # type: ignore[arg-type]


def test_very_long_input_is_handled() -> None:
    text = "blah " * 20_000 + "jane at glowspa dot com"
    assert find_email(text).address == "jane@glowspa.com"  # type: ignore[union-attr]


@pytest.mark.parametrize("local", ["info", "contact", "office", "frontdesk", "admin", "hello", "reception", "Info"])
def test_generic_inboxes(local: str) -> None:
    assert is_generic_email(f"{local}@glowspa.com")
    assert find_email(f"{local} at glowspa dot com").is_generic  # type: ignore[union-attr]


@pytest.mark.parametrize("address", ["jane@glowspa.com", "dr.smith@glowspa.com", "information.desk.jane@x.com"])
def test_personal_addresses_are_not_generic(address: str) -> None:
    assert not is_generic_email(address)


def test_match_parts() -> None:
    match = find_email("jane.doe at glowspa dot com")
    assert match is not None
    assert (match.local_part, match.domain) == ("jane.doe", "glowspa.com")


@pytest.mark.parametrize(
    ("address", "spoken"),
    [
        ("jane@glowspa.com", "jane at glowspa dot com"),
        ("jane_doe@glow-spa.co.uk", "jane underscore doe at glow dash spa dot co dot uk"),
        ("jane22@x.com", "jane 2 2 at x dot com"),
    ],
)
def test_speakable_email(address: str, spoken: str) -> None:
    assert speakable_email(address) == spoken


@pytest.mark.parametrize("address", ["jane@glowspa.com", "jane_doe@glow-spa.co.uk", "a.b@c.io"])
def test_spoken_read_back_round_trips(address: str) -> None:
    """What the agent reads back is recognised as the same address."""
    assert find_email(speakable_email(address)).address == address  # type: ignore[union-attr]
