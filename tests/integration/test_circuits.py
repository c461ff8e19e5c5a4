"""A 63 A main with a 35 A sub-board of ten chargers and its own meter.

Both meters are HA sensor states, every charger an input_number with its
sensors (simulated_tree.py); the EVs follow their limits. Through arrivals,
spikes on either level and a stale sub-meter, every round's limits are
checked against both fuses with the true loads of that moment, and so is
what the chargers' entities hold after every step.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.ev_load_balancer.const import DOMAIN
from custom_components.ev_load_balancer.diagnostics import (
    async_get_config_entry_diagnostics,
)

from .loop_helpers import drain, limits
from .simulated_site import METER, SimulatedCharger
from .simulated_tree import BOARD_METER, SimulatedTree

MAIN_USABLE_A = 63.0 - 3.0
BOARD_USABLE_A = 35.0 - 1.0
ROTATIONS = ("three_phase_l1l2l3", "three_phase_l2l3l1", "three_phase_l3l1l2")
BOARD = [f"cp{n:02}" for n in range(1, 11)]
MAIN = ["cp11", "cp12"]


def _chargers() -> Iterator[SimulatedCharger]:
    for n, key in enumerate(BOARD + MAIN):
        yield SimulatedCharger(
            key,
            connection=ROTATIONS[n % 3],
            # Two 1-phase EVs on the board; the first four board EVs and
            # both main ones are there from the start.
            ev_phases=1 if key in ("cp03", "cp08") else 3,
            plugged=key in (*BOARD[:4], *MAIN),
        )


@pytest.fixture
async def tree(hass: HomeAssistant) -> SimulatedTree:
    simulated = SimulatedTree(
        hass,
        list(_chargers()),
        baseline_a=[8.0, 8.0, 8.0],
        board_chargers=set(BOARD),
    )
    await simulated.async_setup()
    return simulated


@pytest.fixture
async def tree_entry(hass: HomeAssistant, tree: SimulatedTree) -> MockConfigEntry:
    board = ConfigSubentryData(
        data={
            "parent": "site",
            "circuit_phases": ["l1", "l2", "l3"],
            "rating": 35,
            "safety_margin": 1,
            "reserve": 5,
            "meter_entities": list(BOARD_METER),
        },
        subentry_id="board",
        subentry_type="circuit",
        title="Sub-board",
        unique_id=None,
    )
    chargers = [
        ConfigSubentryData(
            data={
                **tree.subentry_data(charger),
                "circuit": "board" if tree.on_board(charger) else "site",
            },
            subentry_id=f"sub_{charger.key}",
            subentry_type="charger",
            title=charger.key.upper(),
            unique_id=charger.number,
        )
        for charger in tree.chargers
    ]
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Garage",
        unique_id=METER[0],
        data={
            "name": "Garage",
            "phases": 3,
            "fuse_current": 63,
            "nominal_voltage": 230,
            "meter_type": "sensors",
            "meter_entities": list(METER),
            "voltage_entities": [],
        },
        options={"safety_margin": 3, "hold_time": 0, "stale_after": 10},
        subentries_data=[board, *chargers],
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


class FuseWatch:
    """Checks every round's limits against both fuses, with the true loads."""

    def __init__(self, tree: SimulatedTree, entry: MockConfigEntry) -> None:
        self.tree = tree
        self.coordinator = entry.runtime_data.coordinator
        self.rounds = 0
        self.violations: list[str] = []
        self.peak_main = 0.0
        self.peak_board = 0.0
        entry.async_on_unload(self.coordinator.async_add_listener(self._check))

    def _check(self) -> None:
        allocation = self.coordinator.loop.last_allocation
        if allocation is None:
            return
        self.rounds += 1
        held = limits(self.coordinator.hass, self.tree)
        decided = {
            key: allocation.limits[f"sub_{key}"].current_a
            if f"sub_{key}" in allocation.limits
            else held[key]
            for key in held
        }
        self.check(decided, f"round {self.rounds}")

    def check(self, current: dict[str, float], when: str) -> None:
        main, board = self.tree.allowed(current)
        self.peak_main = max(self.peak_main, *main)
        self.peak_board = max(self.peak_board, *board)
        for phase in range(3):
            if main[phase] > MAIN_USABLE_A + 1e-6:
                self.violations.append(f"{when}: main L{phase + 1} {main[phase]} A")
            if board[phase] > BOARD_USABLE_A + 1e-6:
                self.violations.append(f"{when}: board L{phase + 1} {board[phase]} A")


async def _steps(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    tree: SimulatedTree,
    watch: FuseWatch,
    rounds: int,
    seconds: float = 2.0,
) -> None:
    """Let time pass; after every step the chargers' entities hold limits
    that keep both fuses."""
    for _ in range(rounds):
        freezer.tick(seconds)
        tree.publish()
        async_fire_time_changed(hass)
        await drain(hass)
        watch.check(limits(hass, tree), "entities")
    assert not watch.violations, watch.violations[:5]


def _state(hass: HomeAssistant, entity_id: str) -> Any:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


def _board_sum(hass: HomeAssistant, tree: SimulatedTree) -> float:
    return sum(v for k, v in limits(hass, tree).items() if k in BOARD)


async def test_neither_fuse_is_exceeded_and_a_stale_sub_meter_fails_safe_alone(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    tree: SimulatedTree,
    tree_entry: MockConfigEntry,
) -> None:
    watch = FuseWatch(tree, tree_entry)
    await _steps(hass, freezer, tree, watch, rounds=10)
    # The board binds: its four EVs share 35 - 1 - 3 A; the main ones get
    # what the main fuse leaves.
    assert _state(hass, "sensor.sub_board_load_l1") not in ("unknown", "unavailable")
    assert _state(hass, "binary_sensor.sub_board_meter_healthy") == "on"
    assert _state(hass, "binary_sensor.sub_board_failsafe") == "off"
    board_limits = [limits(hass, tree)[k] for k in BOARD[:4]]
    assert all(limit >= 6.0 for limit in board_limits)
    assert max(tree.board_current()) <= BOARD_USABLE_A
    assert float(
        _state(hass, "sensor.sub_board_available_current_l1")
    ) == pytest.approx(31.0, abs=0.6)
    device = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, "board")})
    assert device is not None
    assert device.name == "Sub-board"

    # Arrivals: the other six board EVs, one by one.
    for key in BOARD[4:]:
        tree.charger(key).plugged = True
        await _steps(hass, freezer, tree, watch, rounds=3)
    await _steps(hass, freezer, tree, watch, rounds=10)
    assert _state(hass, "sensor.garage_queued_evs") != "0"  # ten do not fit at 6 A
    assert min(limits(hass, tree)[k] for k in MAIN) >= 6.0

    # A spike on the sub-board (a sauna on its L1), then one on the main (L2).
    tree.board_baseline_a = [15.0, 3.0, 3.0]
    await _steps(hass, freezer, tree, watch, rounds=8)
    assert _state(hass, "binary_sensor.sub_board_overload") == "off"
    tree.baseline_a = [8.0, 33.0, 8.0]
    await _steps(hass, freezer, tree, watch, rounds=8)
    assert _state(hass, "binary_sensor.garage_overload") == "off"
    tree.board_baseline_a = [3.0, 3.0, 3.0]
    tree.baseline_a = [8.0, 8.0, 8.0]
    await _steps(hass, freezer, tree, watch, rounds=10)
    before_outage = limits(hass, tree)

    # The sub-board's meter goes quiet: after the stale time its chargers get
    # failsafe limits (never above what they had), the main ones keep balancing.
    tree.board_meter_frozen = True
    await _steps(hass, freezer, tree, watch, rounds=7)
    assert _state(hass, "binary_sensor.sub_board_failsafe") == "on"
    assert _state(hass, "binary_sensor.sub_board_meter_healthy") == "off"
    assert _state(hass, "binary_sensor.garage_failsafe") == "off"
    during = limits(hass, tree)
    for key in BOARD:
        assert during[key] <= before_outage[key]
        if during[key] > 0:
            assert _state(hass, f"sensor.{key}_reason") == "failsafe"
    # The board's reserve (5 A) stands for its own load: 34 - 5 for its EVs.
    assert _board_sum(hass, tree) <= 29.0
    for key in MAIN:
        assert _state(hass, f"sensor.{key}_reason") != "failsafe"
    # The main fuse still balances: a spike on the main cuts the main EVs
    # at once, and they come back after it.
    tree.baseline_a = [8.0, 8.0, 40.0]
    await _steps(hass, freezer, tree, watch, rounds=4)
    cut = limits(hass, tree)
    assert sum(cut[k] for k in MAIN) < sum(during[k] for k in MAIN)
    tree.baseline_a = [8.0, 8.0, 8.0]
    # Raises wait until the site has settled (about 20 s here).
    await _steps(hass, freezer, tree, watch, rounds=14)
    assert sum(limits(hass, tree)[k] for k in MAIN) > sum(cut[k] for k in MAIN)
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, "circuit_meter_unavailable_board"
    )
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["circuit"] == "Sub-board"

    # The meter reports again: the board balances on it, the issue goes.
    tree.board_meter_frozen = False
    await _steps(hass, freezer, tree, watch, rounds=10)
    assert _state(hass, "binary_sensor.sub_board_failsafe") == "off"
    assert _state(hass, "binary_sensor.sub_board_meter_healthy") == "on"
    assert (
        ir.async_get(hass).async_get_issue(DOMAIN, "circuit_meter_unavailable_board")
        is None
    )
    assert all(_state(hass, f"sensor.{k}_reason") != "failsafe" for k in BOARD)
    # Every round was checked, and the fuses were used, not just kept.
    assert watch.rounds >= 60
    assert watch.peak_board > BOARD_USABLE_A - 6.0
    assert watch.peak_main > MAIN_USABLE_A - 12.0
    assert not watch.violations


async def test_the_tree_in_diagnostics_and_in_the_card(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    tree: SimulatedTree,
    tree_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    watch = FuseWatch(tree, tree_entry)
    await _steps(hass, freezer, tree, watch, rounds=10)
    diagnostics = await async_get_config_entry_diagnostics(hass, tree_entry)
    board = diagnostics["circuits"]["tree"]["board"]
    assert board["config"]["rating_a"] == 35.0
    assert board["balanced"]["parent_phases"] == (0, 1, 2)
    assert sorted(board["chargers"]) == [f"sub_{k}" for k in BOARD]
    assert board["meter"]["reading"]["current_a"] == pytest.approx(
        tuple(tree.board_current()), abs=0.01
    )
    assert board["problem"] is None
    assert sorted(diagnostics["circuits"]["on_main_fuse"]) == ["sub_cp11", "sub_cp12"]

    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {"type": f"{DOMAIN}/subscribe_site", "entry_id": tree_entry.entry_id}
    )
    assert (await client.receive_json())["success"]
    view = (await client.receive_json())["event"]
    (circuit,) = view["circuits"]
    assert circuit["name"] == "Sub-board"
    assert (circuit["rating_a"], circuit["usable_a"]) == (35.0, 34.0)
    assert circuit["phases"] == [0, 1, 2]
    # A metered circuit carries what its meter reads, inside its fuse.
    assert circuit["load_a"] == pytest.approx(tree.board_current(), abs=0.01)
    assert max(circuit["load_a"]) <= 34.0
    assert sorted(circuit["chargers"]) == [f"sub_{k}" for k in BOARD]
    assert not circuit["failsafe"]
    charger = next(c for c in view["chargers"] if c["id"] == "sub_cp01")
    assert charger["circuit"] == "board"


async def test_rounds_that_change_nothing_write_no_circuit_entity(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    tree: SimulatedTree,
    tree_entry: MockConfigEntry,
) -> None:
    watch = FuseWatch(tree, tree_entry)
    await _steps(hass, freezer, tree, watch, rounds=15)
    watched = {
        e.entity_id
        for e in er.async_entries_for_config_entry(
            er.async_get(hass), tree_entry.entry_id
        )
        if e.config_subentry_id == "board"
    }
    assert len(watched) == 9  # load and available on 3 phases, 3 binary
    written: list[str] = []

    @callback
    def record(event: Event[Any]) -> None:
        written.append(event.data["entity_id"])

    @callback
    def ours(data: Mapping[str, Any]) -> bool:
        return data["entity_id"] in watched

    unsubscribe = [
        hass.bus.async_listen(kind, record, event_filter=ours)
        for kind in (EVENT_STATE_CHANGED, EVENT_STATE_REPORTED)
    ]
    try:
        await _steps(hass, freezer, tree, watch, rounds=5)  # the same picture
        assert written == []
        tree.board_baseline_a = [5.0, 3.0, 3.0]  # the sub-board's L1 moves
        await _steps(hass, freezer, tree, watch, rounds=1)
    finally:
        for remove in unsubscribe:
            remove()
    assert "sensor.sub_board_load_l1" in written
    assert "sensor.sub_board_load_l3" not in written
