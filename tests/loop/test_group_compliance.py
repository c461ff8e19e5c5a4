"""Members of a group (a Zaptec installation) follow the group's one limit,
which the brand spreads its own way: a member above its own share while
another draws less is not ignoring its limit; a group above its total is."""

from __future__ import annotations

from dataclasses import dataclass, replace

from custom_components.ev_load_balancer.balancer import ChargerLimit
from custom_components.ev_load_balancer.chargers.base import ChargerGroup
from custom_components.ev_load_balancer.chargers.phase_sequence import PhaseSwitching
from custom_components.ev_load_balancer.const import IGNORE_GRACE_S
from custom_components.ev_load_balancer.loop import (
    ChargerReport,
    ControlLoop,
    SiteRuntime,
)

from .helpers import at, charging, complete, config, meter

INSTALLATION = ChargerGroup(
    key="installation",
    name="Home installation",
    kind="installation",
    device_identifier=("ev_load_balancer", "group"),
    member_ids=("cp1", "cp2"),
)


@dataclass
class _Member:
    group: ChargerGroup | None = INSTALLATION
    read_only: bool = False

    @property
    def phase_switching(self) -> PhaseSwitching | None:
        return None

    def observe_allocation(self, limit: ChargerLimit | None) -> None:
        return None


MEMBER = _Member()
# Ten times as long as a charger may draw above its limit before it is flagged.
RUN_S = 10 * IGNORE_GRACE_S


def _report(now: float, amps: float) -> ChargerReport:
    return replace(charging(now, amps), controls=MEMBER)


def _run(extra_a: float) -> ControlLoop:
    """RUN_S (ten minutes) of a 15-minute Zaptec interval. cp2's EV takes 1 A at
    most; the installation gives cp1 what cp2 leaves (cp1's EV takes up to
    32 A), plus `extra_a` the installation does not allow."""
    chargers = tuple(
        replace(charger, max_a=32.0, increase_interval_s=900.0)
        for charger in config(2).chargers
    )
    loop = ControlLoop(config(2, chargers=chargers), SiteRuntime(), now=0.0)
    for second in range(0, int(RUN_S), 2):
        now = float(second)
        links = {cid: loop.tracks[cid].link.applied_a or 0.0 for cid in ("cp1", "cp2")}
        installation = links["cp1"] + links["cp2"]
        cp2 = min(1.0, links["cp2"]) if links["cp2"] >= 6 else 0.0
        cp1 = min(32.0, installation - cp2) + extra_a if links["cp1"] >= 6 else 0.0
        result = loop.run_round(
            at(now),
            meter(now, 5.0 + cp1 + cp2),
            {"cp1": _report(now, cp1), "cp2": _report(now, cp2)},
        )
        complete(loop, result, now)
    return loop


def test_a_member_above_its_share_of_a_complying_group_is_not_flagged() -> None:
    loop = _run(extra_a=0.0)
    cp1 = loop.tracks["cp1"]
    # It drew clearly above its own limit for minutes...
    assert max(cp1.status.current_a or ()) > (cp1.link.applied_a or 0.0) + 2.0
    # ...and is still balanced: the installation as a whole follows its limit.
    assert not loop.issues.chargers["cp1"].ignores_limit
    assert not loop.issues.chargers["cp2"].ignores_limit


def test_a_group_above_its_total_limit_is_still_flagged() -> None:
    loop = _run(extra_a=6.0)
    assert loop.issues.chargers["cp1"].ignores_limit
    assert not loop.issues.chargers["cp2"].ignores_limit
