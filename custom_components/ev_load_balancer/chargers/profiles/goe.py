"""go-e chargers through marq24/ha-goecharger-api2 (local HTTP API v2).

Facts read from its source: unique ids are
`goecharger_api2.goe_<serial>_<key>` (`goe_wan_` over the cloud); `amp` is
the current number (6-32 A, step 1); `frc` (force state) is a select with
options `0` neutral, `1` off, `2` on; `psm` (phase switch mode) a select
with `0` auto, `1` one phase, `2` three phases. The car state comes as the
raw code in the `car` sensor (0 unknown/error, 1 idle, 2 charging, 3 waiting
for the car, 4 complete, 5 error; disabled by default, so the flow enables
it) and as localised text in `car_value`, which is not used. `nrg` indices
4-6 are the currents of L1-L3 (A), 11 the total power (W).
"""

from __future__ import annotations

from ...balancer import ChargerState
from .model import (
    ChargerProfile,
    EntitySpec,
    NumberCurrent,
    Role,
    SelectPause,
    SelectPhases,
    StatusWords,
)

WORDS = {
    "0": ChargerState.FAULTED,
    "1": ChargerState.NO_EV,
    "2": ChargerState.CHARGING,
    "3": ChargerState.CONNECTED,
    "4": ChargerState.EV_FULL,
    "5": ChargerState.FAULTED,
}


def _ids(key: str) -> tuple[str, ...]:
    return (
        f"goecharger_api2.goe_{{id}}_{key}",
        f"goecharger_api2.goe_wan_{{id}}_{key}",
    )


PROFILE = ChargerProfile(
    key="goe",
    title="go-e",
    integration="goecharger_api2",
    entities={
        Role.CURRENT: EntitySpec("number", _ids("amp"), required=True),
        Role.PAUSE: EntitySpec("select", _ids("frc"), required=True),
        Role.PHASES: EntitySpec("select", _ids("psm")),
        Role.STATUS: EntitySpec("sensor", _ids("car"), enable=True),
        Role.CURRENT_L1: EntitySpec("sensor", _ids("nrg_4")),
        Role.CURRENT_L2: EntitySpec("sensor", _ids("nrg_5")),
        Role.CURRENT_L3: EntitySpec("sensor", _ids("nrg_6")),
        Role.POWER: EntitySpec("sensor", _ids("nrg_11")),
    },
    status=StatusWords(WORDS),
    current=NumberCurrent(),
    pause=SelectPause(pause="1", resume="0"),
    phases=SelectPhases(one="1", three="2"),
    verified=(
        "marq24/ha-goecharger-api2 b48a90c: custom_components/goecharger_api2/"
        "__init__.py (unique ids, device identifiers), const.py (amp, frc, psm, "
        "car, nrg descriptions), select.py, sensor.py, pygoecharger_ha/keys.py "
        "(value meanings)"
    ),
)
