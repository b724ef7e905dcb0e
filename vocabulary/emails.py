"""Email recognition, literal and spoken, and the generic-inbox rule.

`find_email(text)` finds the first address in a caller's line, whether transcribed literally
("jane@glowspa.com") or spoken the way speech-to-text writes it:

* "jane at glow spa dot com"            -> jane@glowspa.com  (domain words are joined)
* "j a n e at glowspa dot com"          -> jane@glowspa.com  (spelled letters)
* "jane underscore doe at glow dash spa dot co dot uk" -> jane_doe@glow-spa.co.uk
* "jane dot doe at gmail dot com", "jane at sign glowspa dot com", "jane@glowspa dot com"

The local part is the word (or spelled run) right before "at", plus anything chained to it with
"dot" / "underscore" / "dash"; filler words ("sure, it's", "send it to") are never part of it.
The domain must end in a known top-level domain (or a two-letter country code), so "I'm at lunch"
or "she's at the front desk" is not an address.

`is_generic_email` tells shared inboxes (info@, contact@, office@, ...) from a person's address;
`speakable_email` is how the agent reads an address back ("jane at glowspa dot com").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GENERIC_LOCAL_PARTS: frozenset[str] = frozenset(
    {
        "info",
        "contact",
        "office",
        "frontdesk",
        "front.desk",
        "front-desk",
        "front_desk",
        "admin",
        "hello",
        "reception",
        "appointments",
        "booking",
        "bookings",
        "team",
        "support",
        "mail",
        "inquiries",
        "enquiries",
        "help",
        "sales",
        "hi",
        "care",
        "general",
        "contactus",
        "frontoffice",
        "scheduling",
        "schedule",
        "billing",
        "noreply",
        "no-reply",
        "marketing",
        "service",
    }
)

_LITERAL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")

# Top-level domains accepted at the end of a spoken domain (any two-letter label is accepted too).
KNOWN_TLDS: frozenset[str] = frozenset(
    {
        "com",
        "net",
        "org",
        "edu",
        "gov",
        "biz",
        "info",
        "io",
        "co",
        "us",
        "uk",
        "ca",
        "au",
        "nz",
        "ie",
        "me",
        "app",
        "ai",
        "health",
        "clinic",
        "care",
        "dental",
        "med",
        "spa",
        "email",
        "online",
        "site",
        "store",
        "salon",
        "beauty",
        "life",
        "center",
        "studio",
        "pro",
        "llc",
    }
)

_SEPARATORS = {"dot": ".", "period": ".", "point": ".", "underscore": "_", "dash": "-", "hyphen": "-"}
# Words that end a local part when walking back from "at" (never part of an address).
_FILLER = frozenset(
    {
        "it",
        "its",
        "it's",
        "is",
        "to",
        "me",
        "email",
        "e-mail",
        "address",
        "the",
        "sure",
        "yeah",
        "yes",
        "send",
        "my",
        "our",
        "her",
        "his",
        "their",
        "ok",
        "okay",
        "that's",
        "thats",
        "just",
        "um",
        "uh",
        "so",
        "please",
        "try",
        "use",
        "and",
        "or",
        "was",
        "be",
        "would",
        "should",
        "you",
        "can",
        "could",
        "write",
        "reach",
        "her's",
        "mail",
        "that",
        "this",
        "correct",
        "no",
        "nope",
        "actually",
        "sorry",
        "i",
        "said",
        "at",
        "a",
        "an",
        "oh",
        "well",
        "like",
        "then",
        "go",
        "ahead",
        "here",
        "there",
        "hers",
        "him",
        "them",
        "is:",
        "directly",
        "via",
        "on",
        "for",
    }
)
_NUMBER_WORDS = {
    "zero": "0",
    "oh": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
_TOKEN_RE = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?|[._\-@]")
_MAX_DOMAIN_WORDS_PER_LABEL = 4


@dataclass(frozen=True, slots=True)
class EmailMatch:
    address: str  # normalised, lower-case
    spoken: bool  # recognised from a spoken form rather than a literal address

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
    if not text or not isinstance(text, str):
        return None
    m = _LITERAL_RE.search(text)
    if m:
        address = m.group(0).strip(".-_").lower()
        if _valid(address):
            return EmailMatch(address=address, spoken=False)
    spoken = _find_spoken(text)
    if spoken is not None:
        return EmailMatch(address=spoken, spoken=True)
    return None


def speakable_email(address: str) -> str:
    """How the agent reads an address back: "jane at glowspa dot com" (digits spaced)."""
    local, _, domain = address.partition("@")

    def speak(part: str) -> str:
        out = part.replace(".", " dot ").replace("_", " underscore ").replace("-", " dash ")
        out = re.sub(r"\d+", lambda m: " " + " ".join(m.group(0)) + " ", out)
        return out

    return re.sub(r"\s+", " ", f"{speak(local)} at {speak(domain)}").strip()


# --- spoken-form parser -------------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    lowered = text.lower().replace("’", "'")
    lowered = re.sub(r"\bat[\s-]+sign\b", " @ ", lowered)
    lowered = re.sub(r"\bat[\s-]+symbol\b", " @ ", lowered)
    # "j-a-n-e" / "j.a.n.e" spelled with dashes or dots between single letters: plain letters.
    lowered = re.sub(r"\b[a-z0-9](?:[-.][a-z0-9]\b)+", lambda m: re.sub(r"[-.]", " ", m.group(0)), lowered)
    # "glowspa.com" / "jane.doe" written inside a token: split the dots out.
    toks = _TOKEN_RE.findall(lowered)
    out: list[str] = []
    for tok in toks:
        if tok == "@":
            out.append("at")
        elif tok == ".":
            out.append("dot")
        elif tok == "_":
            out.append("underscore")
        elif tok == "-":
            out.append("dash")
        else:
            out.append(tok)
    return _expand_doubles(out)


def _expand_doubles(tokens: list[str]) -> list[str]:
    """ "double l" -> "l l" (spelled letters)."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] == "double" and i + 1 < len(tokens) and len(tokens[i + 1]) == 1:
            out.extend([tokens[i + 1], tokens[i + 1]])
            i += 2
            continue
        out.append(tokens[i])
        i += 1
    return out


def _find_spoken(text: str) -> str | None:
    tokens = _tokens(text)
    for idx, tok in enumerate(tokens):
        if tok != "at" or idx == 0:
            continue
        domain = _domain_after(tokens, idx + 1)
        if domain is None:
            continue
        local = _local_before(tokens, idx)
        if not local:
            continue
        address = f"{local}@{domain}"
        if _valid(address):
            return address
    return None


def _domain_after(tokens: list[str], start: int) -> str | None:
    labels: list[str] = []
    current: list[str] = []
    i = start
    best: str | None = None
    while i < len(tokens):
        tok = tokens[i]
        sep = _SEPARATORS.get(tok)
        if sep == ".":
            if not current:
                break
            labels.append("".join(current))
            current = []
        elif sep == "-":
            if not current:
                break
            current.append("-")
        elif sep == "_" or tok == "at":
            break
        else:
            if len([c for c in current if c != "-"]) >= _MAX_DOMAIN_WORDS_PER_LABEL:
                break
            if labels and _is_tld(tok) and not current:
                # a completed domain so far: remember it, keep going for "dot co dot uk"
                candidate = ".".join([*labels, tok])
                best = candidate
                current.append(tok)
                i += 1
                if i < len(tokens) and _SEPARATORS.get(tokens[i]) == ".":
                    continue
                break
            if tok in _FILLER and not current:
                break
            current.append(tok)
        i += 1
    return best


def _is_tld(tok: str) -> bool:
    return tok in KNOWN_TLDS or (len(tok) == 2 and tok.isalpha())


def _local_before(tokens: list[str], at_index: int) -> str:
    """Walk back from "at": one unit, or a spelled run, chained by dot/underscore/dash."""
    parts: list[str] = []  # reversed order
    i = at_index - 1
    expecting_unit = True
    while i >= 0:
        tok = tokens[i]
        sep = _SEPARATORS.get(tok)
        previous = parts[-1] if parts else ""
        if sep is not None:
            if expecting_unit:
                break
            parts.append(sep)
            expecting_unit = True
        elif expecting_unit:
            in_spelled_run = _is_spelled_unit(previous) or (
                not parts and i > 0 and len(tokens[i - 1]) == 1 and tokens[i - 1].isalpha()
            )
            after_separator = previous in {".", "_", "-"}
            if tok in _FILLER and not ((in_spelled_run or after_separator) and len(tok) == 1):
                break
            parts.append(_spelled_value(tok) if _is_spelled(tok) else tok)
            expecting_unit = False
        elif _is_spelled(tok) and _is_spelled_unit(previous) and _is_spelled_unit(_spelled_value(tok)):
            parts.append(_spelled_value(tok))  # "j a n e": letters chain without separators
        elif previous.isdigit() and tok.isalpha() and tok not in _FILLER:
            parts.append(tok)  # "jane 2" -> jane2
        else:
            break
        i -= 1
    while parts and parts[-1] in {".", "_", "-"}:
        parts.pop()
    return "".join(reversed(parts)).strip("._-")


def _is_spelled(tok: str) -> bool:
    return (len(tok) == 1 and tok.isalnum()) or tok in _NUMBER_WORDS and tok != "oh"


def _spelled_value(tok: str) -> str:
    return _NUMBER_WORDS.get(tok, tok)


def _is_spelled_unit(part: str) -> bool:
    return len(part) == 1 and part.isalnum()


def _valid(address: str) -> bool:
    local, _, domain = address.partition("@")
    if not local or not domain or len(address) > 254 or len(local) > 64:
        return False
    if ".." in address or local.startswith(".") or domain.startswith((".", "-")):
        return False
    if not re.fullmatch(r"[a-z0-9._%+\-]+", local):
        return False
    labels = domain.split(".")
    if len(labels) < 2 or not all(labels):
        return False
    return all(re.fullmatch(r"[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?", lab) for lab in labels) and labels[-1].isalpha()
