"""Run every benchmark: `python -m bench` (or `make bench`)."""

from __future__ import annotations

from . import allocate, modbus, ocpp_cs, simulate

allocate.main()
modbus.main()
ocpp_cs.main()
simulate.main()
