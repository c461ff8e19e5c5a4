"""OCPP chargers through lbbrhzn/ocpp (its own central system in HA).

Facts read from its source: sensor unique ids are
`ocpp.<charge point id>[.conn<n>].<metric>.sensor` (the metric in lower
case, dots as underscores), the current number is
`number.ocpp.<charge point id>[.conn<n>].maximum_current` (0 A up, step 1;
0 pauses through a charging profile). A charger with several connectors has
one device per connector (`<id>-conn<n>`). `Status.Connector` holds the
OCPP 1.6 status word (2.0.1 chargers are mapped onto the same words);
`Current.Import` shows the average of the phases with each phase as an
attribute (`L1`, `L2`, `L3`) when the charger sends them;
`Power.Active.Import` the sum. Which measurands exist is the user's choice
in that integration.
"""

from __future__ import annotations

from ...balancer import ChargerState
from .model import (
    ChargerProfile,
    EntitySpec,
    NumberCurrent,
    PhaseAttributes,
    Role,
    StatusWords,
)

_S = ChargerState
WORDS = {
    "available": _S.NO_EV,
    "reserved": _S.NO_EV,
    "preparing": _S.CONNECTED,
    "charging": _S.CHARGING,
    "suspendedevse": _S.CONNECTED,
    "suspendedev": _S.EV_FULL,
    "finishing": _S.EV_FULL,
    "unavailable": _S.FAULTED,
    "faulted": _S.FAULTED,
}


def _ref(identifier: str) -> str:
    """`CP1-conn2` (a connector's device) is `CP1.conn2` in unique ids."""
    charge_point, dash, connector = identifier.rpartition("-conn")
    return f"{charge_point}.conn{connector}" if dash else identifier


PROFILE = ChargerProfile(
    key="ocpp_lbbrhzn",
    title="OCPP (lbbrhzn/ocpp)",
    integration="ocpp",
    entities={
        Role.CURRENT: EntitySpec(
            "number", ("number.ocpp.{id}.maximum_current",), required=True
        ),
        Role.STATUS: EntitySpec("sensor", ("ocpp.{id}.status_connector.sensor",)),
        Role.PHASE_CURRENTS: EntitySpec("sensor", ("ocpp.{id}.current_import.sensor",)),
        Role.POWER: EntitySpec("sensor", ("ocpp.{id}.power_active_import.sensor",)),
    },
    status=StatusWords(WORDS),
    current=NumberCurrent(),
    phase_attributes=PhaseAttributes(Role.PHASE_CURRENTS, ("L1", "L2", "L3")),
    ref_from_identifier=_ref,
    verified=(
        "lbbrhzn/ocpp a37fed3: custom_components/ocpp/const.py "
        "(sensor_unique_id), number.py, sensor.py, chargepoint.py (phase "
        "attributes), ocppv201.py (2.0.1 mapped to 1.6 words)"
    ),
)
