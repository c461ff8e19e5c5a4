"""Live simulators: a Modbus meter and OCPP chargers on real sockets.

The tests use them against the integration's own servers; `make demo` puts
them in front of a real Home Assistant (see `evlb_sim/demo/`).
"""
