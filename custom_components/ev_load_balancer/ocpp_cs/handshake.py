"""Decisions taken on the HTTP upgrade request, before a websocket exists."""

from __future__ import annotations

from .const import CHARGER_ID_PATTERN, SUPPORTED_SUBPROTOCOLS, OcppVersion


def charger_id_from_tail(tail: str) -> str | None:
    """The charge point id, if the URL part after the path is exactly one valid id.

    aiohttp has already percent-decoded it, so an encoded slash shows up as an
    extra segment and is refused like any other.
    """
    if CHARGER_ID_PATTERN.fullmatch(tail):
        return tail
    return None


def negotiate_version(header: str | None) -> OcppVersion | None:
    """The first OCPP version the charger offers that we speak, in its order."""
    if not header:
        return None
    for offered in header.split(","):
        name = offered.strip()
        if name in SUPPORTED_SUBPROTOCOLS:
            return OcppVersion(name)
    return None
