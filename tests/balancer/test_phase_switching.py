"""1p/3p switching: the pure decision, the switch sequence, and the fuse through
switches in a closed loop with the real balancer (hypothesis).

The loop is the one the HA coordinator runs per round: inputs through the
hook (chargers/phase_control.py), the balancer, the limits to the chargers.
The switchable charger carries out its switch steps late (0-3 rounds) and
may refuse a switch; whatever it does, nothing above the fuse ever flows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import random

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.ev_load_balancer.balancer import (
    Allocation,
    Balancer,
    BalancerSettings,
    ChargerInput,
    ChargerLimit,
    ChargerState,
    Reason,
    Rotation,
    Site,
)
from custom_components.ev_load_balancer.balancer.phase_switch import (
    PhaseRoom,
    PhaseSwitchSettings,
    decide_phases,
)
from custom_components.ev_load_balancer.chargers.base import (
    ChargerBackend,
    ChargerStatus,
)
from custom_components.ev_load_balancer.chargers.phase_control import (
    SiteSwitches,
    prepared_input,
)
from custom_components.ev_load_balancer.chargers.phase_sequence import (
    Pause,
    PhaseAction,
    PhaseSequence,
    PhaseSwitching,
    Resume,
    SetPhases,
    Step,
)

SETTINGS = PhaseSwitchSettings(dwell_s=300.0)
WIRING = (0, 1, 2)


@pytest.mark.parametrize(
    ("room", "current", "expected"),
    [
        ((18.0, 4.0, 4.0), 3, 1),  # three cannot reach 6 A, L1 can: one phase
        ((5.0, 4.0, 4.0), 3, 3),  # neither: nothing gained by switching
        ((6.0, 6.0, 6.0), 3, 3),  # 3 x 6 A beat 1 x 6 A
        ((20.0, 6.5, 6.5), 1, 1),  # back needs min + 1 A on every phase
        ((20.0, 7.0, 7.0), 1, 3),  # 3 x 7 A beat 1 x 16 A
        ((4.0, 18.0, 18.0), 3, 3),  # its L1 is the tight phase: one phase won't do
    ],
)
def test_the_choice_follows_the_power_each_way_gives(
    room: tuple[float, ...], current: int, expected: int
) -> None:
    choice = decide_phases(
        current, -1e9, 0.0, PhaseRoom(room_a=room, wiring=WIRING, max_a=16.0), SETTINGS
    )
    assert choice == expected


def test_a_choice_stands_for_the_dwell_time() -> None:
    room = PhaseRoom(room_a=(18.0, 4.0, 4.0), wiring=WIRING)
    assert decide_phases(3, 0.0, 299.0, room, SETTINGS) == 3
    assert decide_phases(3, 0.0, 300.0, room, SETTINGS) == 1
    # Without an EV asking, back to three phases (after the dwell time too).
    assert decide_phases(1, 0.0, 10.0, None, SETTINGS) == 1
    assert decide_phases(1, 0.0, 301.0, None, SETTINGS) == 3


def test_a_switch_reserves_three_phases_until_the_charger_runs_on_one() -> None:
    sequence = PhaseSequence()
    actions = sequence.advance(
        0.0, 1, drawing_a=(10.0, 10.0, 10.0), ev_present=True, safe_limit_a=10.0
    )
    assert actions == [Pause()]
    assert sequence.reserved == 3
    # Still drawing: waits for the pause (at most PAUSE_TIMEOUT_S).
    assert (
        sequence.advance(
            1.0, 1, drawing_a=(10.0, 10.0, 10.0), ev_present=True, safe_limit_a=10.0
        )
        == []
    )
    actions = sequence.advance(
        2.0, 1, drawing_a=(0.0, 0.0, 0.0), ev_present=True, safe_limit_a=10.0
    )
    assert actions == [SetPhases(1)]
    sequence.answered(1)
    assert sequence.reserved == 3
    assert (
        sequence.advance(
            4.0, 1, drawing_a=(0.0, 0.0, 0.0), ev_present=True, safe_limit_a=9.0
        )
        == []
    )
    actions = sequence.advance(
        7.0, 1, drawing_a=(0.0, 0.0, 0.0), ev_present=True, safe_limit_a=9.0
    )
    assert actions == [Resume(9.0)]
    assert (sequence.phases, sequence.reserved, sequence.step) == (1, 1, Step.IDLE)
    # Seen drawing on L2 while believed on one phase: it runs on three.
    sequence.advance(
        8.0, 1, drawing_a=(9.0, 9.0, 0.0), ev_present=True, safe_limit_a=9.0
    )
    assert sequence.reserved == 3


def test_a_refused_switch_leaves_the_phases_as_they_were() -> None:
    sequence = PhaseSequence()
    sequence.advance(0.0, 1, drawing_a=(), ev_present=True, safe_limit_a=0.0)
    sequence.advance(1.0, 1, drawing_a=(), ev_present=True, safe_limit_a=0.0)
    sequence.answered(None)
    actions = sequence.advance(7.0, 1, drawing_a=(), ev_present=True, safe_limit_a=6.0)
    assert actions == [Resume(6.0)]
    assert (sequence.phases, sequence.target, sequence.reserved) == (3, 3, 3)


@dataclass
class _Charger:
    """The switchable charger's hardware: what it really draws."""

    wiring: tuple[int, ...]
    ev_max_a: float = 16.0
    limit_a: float = 0.0
    paused: bool = False
    phases: int = 3

    def draw(self) -> tuple[float, ...]:
        current = (
            0.0 if self.paused or self.limit_a < 6 else min(self.limit_a, self.ev_max_a)
        )
        return tuple(current if i < self.phases else 0.0 for i in range(3))


@dataclass
class _SwitchableBackend(ChargerBackend):
    """Carries out switch steps late, as a cloud or a busy charger would."""

    hardware: _Charger = field(default_factory=lambda: _Charger(WIRING))
    rng: random.Random = field(default_factory=random.Random)
    refuse_ratio: float = 0.0
    latest_a: float | None = None
    queue: list[tuple[int, PhaseAction]] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__("switchable")
        self.switching = PhaseSwitching(execute=self._later, settings=SETTINGS)

    @property
    def status(self) -> ChargerStatus:
        return ChargerStatus(state=ChargerState.CHARGING)

    @property
    def phase_switching(self) -> PhaseSwitching:
        return self.switching

    async def async_apply_limit(self, current_a: float) -> None:  # pragma: no cover
        raise NotImplementedError

    def _later(self, actions: list[PhaseAction]) -> None:
        delay = self.rng.randrange(4)
        self.queue.extend((delay, action) for action in actions)

    def apply(self, limit_a: float) -> None:
        """A new limit from the loop (the back end's async_apply_limit)."""
        self.latest_a = limit_a
        hardware = self.hardware
        if self.switching.sequence.step is Step.IDLE and not self.queue:
            hardware.limit_a = limit_a
            hardware.paused = limit_a <= 0
        elif limit_a < hardware.limit_a:
            # A switch under way: cuts still go out at once, raises wait.
            hardware.limit_a = limit_a
            hardware.paused = hardware.paused or limit_a <= 0

    def tick(self) -> None:
        """One round passes: due steps happen, in order."""
        waiting = []
        due = True
        for delay, action in self.queue:
            if due and delay <= 0:
                self._do(action)
            else:
                due = False
                waiting.append((delay - 1, action))
        self.queue = waiting

    def _do(self, action: PhaseAction) -> None:
        hardware = self.hardware
        if isinstance(action, Pause):
            hardware.paused = True
        elif isinstance(action, SetPhases):
            if self.rng.random() < self.refuse_ratio:
                self.switching.sequence.answered(None)
            else:
                hardware.phases = action.phases
                self.switching.sequence.answered(action.phases)
        elif isinstance(action, Resume):
            limit = min(action.limit_a, self.latest_a or action.limit_a)
            hardware.limit_a = limit
            hardware.paused = limit <= 0


@dataclass
class _Plain:
    """A charger that is not switchable: it follows its limit at once."""

    charger_id: str
    wiring: tuple[int, ...]
    limit_a: float = 0.0

    def draw(self) -> tuple[float, ...]:
        return tuple(
            min(self.limit_a, 16.0) if self.limit_a >= 6 else 0.0 for _ in self.wiring
        )


class _NoCapabilities(ChargerBackend):
    @property
    def status(self) -> ChargerStatus:
        return ChargerStatus(state=ChargerState.CHARGING)

    async def async_apply_limit(self, current_a: float) -> None:  # pragma: no cover
        raise NotImplementedError


def _run(baselines: list[tuple[float, float, float]], seed: int, refuse: float) -> int:
    """The loop over the given baselines (one per 10 s round); returns switches."""
    site = Site(phases=3, fuse_a=40.0, margin_a=2.0)
    balancer = Balancer(BalancerSettings(hold_s=0.0))
    rng = random.Random(seed)
    switchable = _SwitchableBackend(rng=rng, refuse_ratio=refuse)
    others = [_Plain("b", Rotation.L2L3L1.wiring), _Plain("c", Rotation.L3L1L2.wiring)]
    plain_backend = _NoCapabilities("plain")
    last: Allocation | None = None
    switches = 0
    phases_before = 3
    for step, baseline in enumerate(baselines):
        now = step * 10.0
        switchable.tick()
        meter = list(baseline)
        for charger in (switchable.hardware, *others):
            for conductor, value in enumerate(charger.draw()):
                meter[charger.wiring[conductor]] += value
        inputs = [
            prepared_input(
                ChargerInput(
                    charger_id="switchable",
                    wiring=WIRING,
                    state=ChargerState.CHARGING,
                    measured_a=switchable.hardware.draw(),
                    max_a=16.0,
                ),
                switchable,
                last,
                now,
            ),
            *(
                prepared_input(
                    ChargerInput(
                        charger_id=other.charger_id,
                        wiring=other.wiring,
                        state=ChargerState.CHARGING,
                        measured_a=other.draw(),
                        max_a=16.0,
                    ),
                    plain_backend,
                    last,
                    now,
                )
                for other in others
            ),
        ]
        last = balancer.allocate(now, site, meter, inputs)
        switchable.apply(last.limits["switchable"].current_a)
        for other in others:
            other.limit_a = last.limits[other.charger_id].current_a
        # What really flows now, with the building, stays within the fuse.
        flowing = list(baseline)
        for charger in (switchable.hardware, *others):
            for conductor, value in enumerate(charger.draw()):
                flowing[charger.wiring[conductor]] += value
        for phase, value in enumerate(flowing):
            assert value <= site.usable_a + 1e-6, f"round {step}, L{phase + 1}: {value}"
        switches += switchable.hardware.phases != phases_before
        phases_before = switchable.hardware.phases
    return switches


@settings(max_examples=60, deadline=None)
@given(
    levels=st.lists(
        st.tuples(st.floats(0.0, 30.0), st.floats(0.0, 36.0), st.floats(0.0, 36.0)),
        min_size=2,
        max_size=8,
    ),
    seed=st.integers(0, 2**16),
    refuse=st.sampled_from([0.0, 0.3]),
)
def test_the_fuse_holds_through_phase_switches(
    levels: list[tuple[float, float, float]], seed: int, refuse: float
) -> None:
    # Each level lasts three minutes (18 rounds of 10 s).
    baselines = [level for level in levels for _ in range(18)]
    switches = _run(baselines, seed, refuse)
    # The dwell time bounds the switches: one per 300 s at most, plus one.
    assert switches <= len(baselines) * 10 // 300 + 1


def test_a_tight_evening_gains_energy_on_one_phase() -> None:
    """The go-e's evening: three phases get nothing, one phase gets 16 A."""
    evening = [(20.0, 34.0, 34.0)] * 60 + [(10.0, 10.0, 10.0)] * 60
    assert _run(evening, seed=1, refuse=0.0) == 2


def test_only_a_reading_taken_after_the_pause_shows_the_ev_stopped() -> None:
    """A reading from before the pause may show 0 A while the EV has since
    resumed: switching then would move a drawing EV onto other phases."""
    sequence = PhaseSequence()
    assert sequence.advance(
        100.0, 1, drawing_a=(0.0, 0.0, 0.0), ev_present=True, safe_limit_a=0.0
    ) == [Pause()]
    # The charger's last report was taken before the pause was asked.
    assert (
        sequence.advance(
            101.0,
            1,
            drawing_a=(0.0, 0.0, 0.0),
            ev_present=True,
            safe_limit_a=0.0,
            measured_at=97.0,
        )
        == []
    )
    assert sequence.advance(
        103.0,
        1,
        drawing_a=(0.0, 0.0, 0.0),
        ev_present=True,
        safe_limit_a=0.0,
        measured_at=102.5,
    ) == [SetPhases(1)]


def test_a_switch_as_soon_as_the_dwell_time_allows_doubles_the_next_dwell() -> None:
    """Hysteresis: chargers that see the same room switch together, find it
    shared and would switch back every dwell time; each quick reversal makes
    the next wait twice as long, up to eight times."""
    room = PhaseRoom(room_a=(18.0, 4.0, 4.0), wiring=WIRING)
    assert decide_phases(3, 0.0, 599.0, room, SETTINGS, backoff=1) == 3
    assert decide_phases(3, 0.0, 600.0, room, SETTINGS, backoff=1) == 1
    assert decide_phases(3, 0.0, 2399.0, room, SETTINGS, backoff=7) == 3
    assert decide_phases(3, 0.0, 2400.0, room, SETTINGS, backoff=7) == 1

    switching = PhaseSwitching(execute=lambda _actions: None, settings=SETTINGS)
    sequence = switching.sequence
    charger = ChargerInput(
        charger_id="c", wiring=WIRING, state=ChargerState.CHARGING, measured_a=()
    )

    def switch(now: float, target: int) -> None:
        switching.advance(now, target, charger, 10.0)  # pause
        switching.advance(now + 1.0, target, charger, 10.0)  # set phases
        sequence.answered(target)
        switching.advance(now + 7.0, target, charger, 10.0)  # resume
        assert (sequence.phases, sequence.step) == (target, Step.IDLE)

    switch(0.0, 1)
    assert sequence.backoff == 0  # the first switch
    switch(300.0, 3)
    assert sequence.backoff == 1  # right after the dwell time
    switch(900.0, 1)
    assert sequence.backoff == 2
    # A choice that stood over twice its dwell time (2 x 20 min) resets it.
    switch(900.0 + 4800.0, 3)
    assert sequence.backoff == 0
    # A new EV starts afresh.
    switch(6000.0, 1)
    assert sequence.backoff == 1
    sequence.advance(6010.0, 1, drawing_a=(), ev_present=False, safe_limit_a=0.0)
    assert sequence.backoff == 0


def test_one_switch_at_a_time_on_a_site() -> None:
    """Two chargers that see the same room do not switch together: the
    second waits until the first is back to idle (and its new limit is in
    the allocation the second decides on)."""
    site = SiteSwitches()
    first, second = _SwitchableBackend(), _SwitchableBackend()
    tight = Allocation(
        limits={
            "a": ChargerLimit(0.0, Reason.PAUSED_QUEUE, WIRING),
            "b": ChargerLimit(0.0, Reason.PAUSED_QUEUE, WIRING),
        },
        baseline_a=(20.0, 34.0, 34.0),
        available_a=(18.0, 4.0, 4.0),
        allocated_a=(0.0, 0.0, 0.0),
    )

    def round_at(now: float) -> None:
        for charger_id, backend in (("a", first), ("b", second)):
            prepared_input(
                ChargerInput(
                    charger_id=charger_id,
                    wiring=WIRING,
                    state=ChargerState.CONNECTED,
                    measured_a=(0.0, 0.0, 0.0),
                    measured_at=now,
                ),
                backend,
                tight,
                now,
                site,
            )

    round_at(0.0)
    assert first.switching.sequence.step is Step.PAUSING
    assert second.switching.sequence.step is Step.IDLE
    round_at(1.0)  # the first switches its phases; the second still waits
    first.switching.sequence.answered(1)
    assert second.switching.sequence.step is Step.IDLE
    round_at(7.0)  # the first resumes: idle again
    assert first.switching.sequence.phases == 1
    assert second.switching.sequence.step is Step.IDLE
    round_at(8.0)  # the allocation it decides on now has the first's new limit
    assert second.switching.sequence.step is Step.PAUSING
