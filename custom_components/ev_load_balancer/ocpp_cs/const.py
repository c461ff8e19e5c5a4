"""Versions, profile identities and defaults of the OCPP central system."""

from __future__ import annotations

from enum import StrEnum
import re


class OcppVersion(StrEnum):
    """A protocol version, named by its websocket subprotocol."""

    V16 = "ocpp1.6"
    V201 = "ocpp2.0.1"

    @property
    def schema_version(self) -> str:
        """The version as the `ocpp` library names its schema folders."""
        return "1.6" if self is OcppVersion.V16 else "2.0.1"


# Offered subprotocols are matched in the charger's order of preference.
SUPPORTED_SUBPROTOCOLS = (OcppVersion.V201.value, OcppVersion.V16.value)

# OCPP identifierString, at most 48 characters (OCPP 2.0.1 part 4 and the 1.6
# security whitepaper); it is also the Basic auth user name.
CHARGER_ID_PATTERN = re.compile(r"[A-Za-z0-9*\-_=:+|@.]{1,48}")

# Our charging profiles carry fixed ids so that a new one replaces the old one
# instead of piling up in the charger.
FAILSAFE_PROFILE_ID = 7301
DYNAMIC_PROFILE_ID = 7302
TX_PROFILE_ID = 7303
FAILSAFE_STACK_LEVEL = 0
DYNAMIC_STACK_LEVEL = 1

# Measurands asked at adoption, richest first; chargers that refuse a list get
# the next shorter one.
MEASURAND_CHOICES = (
    (
        "Current.Import",
        "Power.Active.Import",
        "Energy.Active.Import.Register",
        "Voltage",
        "SoC",
    ),
    (
        "Current.Import",
        "Power.Active.Import",
        "Energy.Active.Import.Register",
        "Voltage",
    ),
    ("Current.Import", "Energy.Active.Import.Register"),
)

ACCEPTED = "Accepted"
