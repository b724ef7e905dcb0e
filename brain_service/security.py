"""Handshake gates for the Retell websocket: URL token, IP/CIDR allowlist, trusted proxies.

All gates are off unless configured. Retell sends no auth header on this socket, so the practical
secret is in the URL: ``?token=…`` or a path segment (``/llm-websocket/<token>/<call_id>``),
compared in constant time. The allowlist checks the client address; ``X-Forwarded-For`` is read
only when the socket peer is a configured trusted proxy, walking the header right to left and
skipping trusted hops (the left-most entry is client-controlled and never trusted blindly).

Run the brain with uvicorn's own proxy-header rewriting off (``python -m brain_service`` does);
otherwise uvicorn would already have replaced the peer address before these gates see it.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
from urllib.parse import parse_qsl

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Rejection reasons (metric label values).
REJECT_TOKEN = "token"
REJECT_ALLOWLIST = "allowlist"
REJECT_CALL_ID = "bad_call_id"

# A call id becomes a file name downstream: letters, digits and _ . : - only, starting alphanumeric.
_CALL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:\-]{0,127}")


def parse_cidrs(value: str, setting: str) -> tuple[IPNetwork, ...]:
    """``"1.2.3.4, 10.0.0.0/8"`` → networks; a bad entry raises ValueError naming the setting."""
    networks = []
    for raw in value.split(","):
        entry = raw.strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as exc:
            raise ValueError(f"{setting}: {entry!r} is not an IP address or CIDR ({exc})") from None
    return tuple(networks)


def _parse_ip(value: str) -> IPAddress | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def valid_call_id(call_id: str) -> bool:
    return _CALL_ID.fullmatch(call_id) is not None


class HandshakeGate:
    """Decides, before accept, whether a websocket handshake may proceed."""

    def __init__(self, *, token: str | None, allowed_cidrs: str, trusted_proxies: str) -> None:
        self._token = token.encode() if token else None
        self._allowed = parse_cidrs(allowed_cidrs, "BRAIN_ALLOWED_CIDRS")
        self._trusted = parse_cidrs(trusted_proxies, "BRAIN_TRUSTED_PROXIES")

    @property
    def token_required(self) -> bool:
        return self._token is not None

    @staticmethod
    def _in(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
        return any(address in network for network in networks)

    def client_address(self, peer: str | None, forwarded_for: list[str]) -> IPAddress | None:
        """The address the allowlist judges: the peer, or what trusted proxies say the client is."""
        address = _parse_ip(peer) if peer else None
        if address is None or not self._trusted or not self._in(address, self._trusted):
            return address
        hops = [hop for header in forwarded_for for hop in header.split(",") if hop.strip()]
        for hop in reversed(hops):
            hop_address = _parse_ip(hop)
            if hop_address is None:
                return None  # a trusted proxy sent garbage: the client is unknown
            if not self._in(hop_address, self._trusted):
                return hop_address
            address = hop_address
        return address

    def token_ok(self, query_string: bytes, path_secret: str | None) -> bool:
        if self._token is None:
            return path_secret is None  # a secret path segment without a configured token is unknown
        presented = path_secret
        if presented is None:
            for key, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
                if key == "token":
                    presented = value
                    break
        if presented is None:
            return False
        return hmac.compare_digest(presented.encode(), self._token)

    def check(
        self, *, peer: str | None, forwarded_for: list[str], query_string: bytes, path_secret: str | None, call_id: str
    ) -> str | None:
        """None when the handshake may proceed, else the rejection reason."""
        if self._allowed:
            address = self.client_address(peer, forwarded_for)
            if address is None or not self._in(address, self._allowed):
                return REJECT_ALLOWLIST
        if not self.token_ok(query_string, path_secret):
            return REJECT_TOKEN
        if not valid_call_id(call_id):
            return REJECT_CALL_ID
        return None
