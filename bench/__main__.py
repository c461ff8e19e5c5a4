"""Run every benchmark: `python -m bench` (or `make bench`).

`python -m bench ha` runs only those inside the Home Assistant test harness
(`make bench` runs them on both supported Home Assistant versions).
"""

from __future__ import annotations

import sys

from . import (
    allocate,
    allocate_tree,
    auth_flood,
    command_rate,
    control_loop_entities,
    control_loop_ocpp,
    fuzz,
    loop_round,
    modbus,
    ocpp_cs,
    peak,
    plan,
    simulate,
)

if sys.argv[1:] == ["ha"]:
    control_loop_entities.main()
    control_loop_ocpp.main()
    auth_flood.main()
else:
    allocate.main()
    allocate_tree.main()
    plan.main()
    loop_round.main()
    modbus.main()
    ocpp_cs.main()
    fuzz.main()
    simulate.main()
    peak.main()
    command_rate.main()
    control_loop_entities.main()
    control_loop_ocpp.main()
    auth_flood.main()
