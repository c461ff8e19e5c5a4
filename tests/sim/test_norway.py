"""The Norway sessions mapped onto a garage."""

from __future__ import annotations

from datetime import datetime

from custom_components.ev_load_balancer.sizing import (
    RESIDENTIAL_FLEET,
    ChargerSize,
    EvModel,
    deliverable_kwh,
    garage,
)
from evlb_sim.offline.norway import load_recorded, map_sessions

JANUARY = (
    datetime.fromisoformat("2020-01-01T00:00"),
    datetime.fromisoformat("2020-02-01T00:00"),
)


def test_the_shipped_data_is_complete() -> None:
    recorded = load_recorded()
    assert len(recorded) == 6844
    assert len({s.user_id for s in recorded}) == 96


def test_busiest_users_get_one_charger_each_without_overlaps() -> None:
    chargers = garage(50, ChargerSize(max_a=32))
    mapped = map_sessions(
        load_recorded(), chargers, *JANUARY,
        fleet=RESIDENTIAL_FLEET, voltage_v=230, ev_model=EvModel(), seed=1,
    )  # fmt: skip
    assert len(mapped.users) == 50
    assert {s.charger_id for s in mapped.sessions} == {c.charger_id for c in chargers}
    by_charger: dict[str, list[float]] = {}
    for session in mapped.sessions:
        assert 0 <= session.arrival_s < 31 * 86400
        previous = by_charger.setdefault(session.charger_id, [])
        assert not previous or session.arrival_s >= previous[-1]
        previous.append(session.departure_s)
        power_kw = session.ev_phases * session.ev_max_a * 230 / 1000
        assert (
            session.energy_kwh
            <= deliverable_kwh(power_kw, session.stay_s, EvModel()) + 1e-9
        )
    # Each user keeps one EV for the month.
    types = {(s.charger_id, s.ev_phases, s.ev_max_a) for s in mapped.sessions}
    assert len(types) == 50


def test_more_chargers_than_users_leaves_some_empty() -> None:
    mapped = map_sessions(
        load_recorded(), garage(120, ChargerSize()), *JANUARY,
        fleet=RESIDENTIAL_FLEET, voltage_v=230, ev_model=EvModel(), seed=1,
    )  # fmt: skip
    assert any("chargers stay empty" in note for note in mapped.notes)
