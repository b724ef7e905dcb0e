"""vocabulary.close_requests: explicit wrap-up phrasings only (the original matched a bare "close")."""

from __future__ import annotations

import pytest

from vocabulary.close_requests import is_close_request


@pytest.mark.parametrize(
    "text",
    [
        "just send it over",
        "Send it to me please",
        "can you just email me",
        "shoot me an email",
        "let's close this out",
        "close the call",
        "ok hang up now",
        "end this call",
        "let's wrap this up",
        "send me the info",
    ],
)
def test_close_requests(text):
    assert is_close_request(text)


@pytest.mark.parametrize(
    "text",
    [
        "we close at 5",
        "we're closed on Sundays",
        "I sent it yesterday",
        "what's your email?",
        "hold on",
        "",
        None,
        42,
        "the office is close to downtown",
    ],
)
def test_not_close_requests(text):
    assert not is_close_request(text)
