"""Email recognition, literal and spoken, and the generic-inbox rule.

FIRST VERSION (literal addresses only): the brain-conversation work extends `find_email` to the
spoken forms ("jane at glow spa dot com", spelled letters, "underscore", "dash", "dot co dot uk")
without changing these signatures, which the pipelines already call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GENERIC_LOCAL_PARTS: frozenset[str] = frozenset(
    {
        "info", "contact", "office", "frontdesk", "front.desk", "front-desk", "admin", "hello",
        "reception", "appointments", "booking", "bookings", "team", "support", "mail", "inquiries",
        "enquiries", "help", "sales", "hi", "care", "general",
    }
)

_LITERAL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")


@dataclass(frozen=True, slots=True)
class EmailMatch:
    address: str          # normalised, lower-case
    spoken: bool          # recognised from a spoken form rather than a literal address

    @property
    def local_part(self) -> str:
        return self.address.split("@", 1)[0]

    @property
    def domain(self) -> str:
        return self.address.split("@", 1)[1]

    @property
    def is_generic(self) -> bool:
        return is_generic_email(self.address)


def is_generic_email(address: str) -> bool:
    """True for shared inboxes (info@, contact@, office@, frontdesk@, admin@, hello@, ...)."""
    local = address.split("@", 1)[0].strip().lower()
    return local in GENERIC_LOCAL_PARTS


def find_email(text: str) -> EmailMatch | None:
    """The first email address in ``text`` (literal or spoken), normalised; None if there is none."""
    if not text:
        return None
    m = _LITERAL_RE.search(text)
    if m:
        return EmailMatch(address=m.group(0).strip(".").lower(), spoken=False)
    return None


def speakable_email(address: str) -> str:
    """How the agent reads an address back: "jane at glowspa dot com"."""
    local, _, domain = address.partition("@")
    def speak(part: str) -> str:
        return part.replace(".", " dot ").replace("_", " underscore ").replace("-", " dash ")
    return f"{speak(local)} at {speak(domain)}".replace("  ", " ").strip()
