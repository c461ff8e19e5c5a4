"""A small site for driving the shared loop directly, without a host."""

from __future__ import annotations

from custom_components.ev_load_balancer.balancer import ChargerState
from custom_components.ev_load_balancer.chargers.base import ChargerStatus
from custom_components.ev_load_balancer.loop import (
    ChargerReport,
    ControlLoop,
    LoopCharger,
    LoopConfig,
    MeterInput,
    RoundResult,
    RoundTime,
    SiteRuntime,
)
from custom_components.ev_load_balancer.meter.base import MeterReading

WALL_OFFSET_S = 1.7e9  # the wall clock, far from the loop's monotonic clock


def config(count: int = 2, **overrides: object) -> LoopConfig:
    chargers = tuple(
        LoopCharger(
            charger_id=f"cp{i}",
            name=f"CP{i}",
            wiring=(0, 1, 2),
            min_a=6.0,
            max_a=16.0,
            priority=5,
        )
        for i in range(1, count + 1)
    )
    values: dict[str, object] = {
        "name": "Test",
        "phases": 3,
        "fuse_a": 40.0,
        "margin_a": 2.0,
        "voltage_v": 230.0,
        "chargers": chargers,
    }
    values.update(overrides)
    return LoopConfig(**values)  # type: ignore[arg-type]


def at(now: float) -> RoundTime:
    return RoundTime(now=now, wall=now + WALL_OFFSET_S)


def meter(now: float, amps: float = 10.0) -> MeterInput:
    return MeterInput(reading=MeterReading(current_a=(amps,) * 3, received_at=now))


def charging(now: float, amps: float, **fields: object) -> ChargerReport:
    status = ChargerStatus(
        state=ChargerState.CHARGING if amps else ChargerState.CONNECTED,
        current_a=(amps, amps, amps),
        updated_at=now,
        **fields,  # type: ignore[arg-type]
    )
    return ChargerReport(status=status, step_a=1.0)


def idle(now: float) -> ChargerReport:
    return ChargerReport(
        status=ChargerStatus(
            state=ChargerState.NO_EV, current_a=(0.0, 0.0, 0.0), updated_at=now
        ),
        step_a=1.0,
    )


def complete(loop: ControlLoop, result: RoundResult, now: float) -> None:
    """Every command of the round accepted at once."""
    for charger_id, _ in result.sends:
        while loop.command_succeeded(charger_id, now) is not None:
            pass


def new_loop(count: int = 2, now: float = 0.0, **overrides: object) -> ControlLoop:
    return ControlLoop(config(count, **overrides), SiteRuntime(), now=now)
