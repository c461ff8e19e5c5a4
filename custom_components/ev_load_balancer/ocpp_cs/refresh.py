"""When a charger's dynamic limit is renewed.

The dynamic profile expires after its validity unless renewed: that is what
brings a charger back to its failsafe current when Home Assistant is gone.
Renewals cost one SetChargingProfile each; they are spread over the chargers.
"""

from __future__ import annotations

import zlib

# Limits are renewed at this share of their validity, plus up to the spread.
REFRESH_EARLIEST = 0.3
REFRESH_SPREAD = 0.2


def refresh_delay(charger_id: str, validity_s: float) -> float:
    """When to renew a limit: between 30 % and 50 % of its validity.

    Well before it expires (a renewal that fails leaves time for the next
    one), and at a point of its own for each charger, so that limits sent to
    every charger in one round are not renewed in one burst.
    """
    spread = zlib.crc32(charger_id.encode()) / 0xFFFFFFFF
    return validity_s * (REFRESH_EARLIEST + REFRESH_SPREAD * spread)
