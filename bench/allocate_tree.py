"""Time one balancing round for n chargers under a tree of fuses.

The garage of allocate.py, hung on rows under sub-boards under the main fuse
(depth 3: main -> 3 sub-boards, each with its own meter and fed in its own
phase rotation -> 3 rows each, without meters). Each level is sized so that
it binds now and then (at n=200 the main fuse binds in about a third of the
timed rounds, the sub-boards in a quarter, each row in a few): a board has a
quarter of the main fuse and the building's own load, its rows together more
than the board. The same closed loop as the flat bench, so that
`BENCH allocate_tree` reads against `BENCH allocate` of the same n.
"""

from __future__ import annotations

from dataclasses import replace
import random
import time

from custom_components.ev_load_balancer.balancer import (
    Balancer,
    ChargerInput,
    Circuit,
    CircuitReading,
    Site,
)

from .allocate import followed, garage
from .report import bench_line

SIZES = (50, 200, 1000)
_SUB_BOARDS = 3
_ROWS = 3


def tree_garage(
    rng: random.Random, count: int
) -> tuple[Site, list[ChargerInput], list[int], list[tuple[int, ...]]]:
    """The flat garage on a tree; each sub-board's site phase per phase."""
    site, chargers, ev_phases = garage(rng, count)
    sub_rating = site.fuse_a * 0.25
    circuits: list[Circuit] = []
    feeds: list[tuple[int, ...]] = []
    for board in range(_SUB_BOARDS):
        feed = tuple((board + i) % 3 for i in range(3))
        feeds.append(feed)
        circuits.append(
            Circuit(
                circuit_id=f"board{board}",
                parent_phases=feed,
                rating_a=sub_rating,
                margin_a=1.0,
                metered=True,
            )
        )
        circuits.extend(
            Circuit(
                circuit_id=f"board{board}.row{row}",
                parent_id=f"board{board}",
                parent_phases=(0, 1, 2),
                rating_a=sub_rating * 0.4,
                margin_a=0.5,
            )
            for row in range(_ROWS)
        )
    placed = [
        replace(
            charger,
            circuit_id=_row_of(index),
        )
        for index, charger in enumerate(chargers)
    ]
    return replace(site, circuits=tuple(circuits)), placed, ev_phases, feeds


def run(count: int, rounds: int) -> list[float]:
    rng = random.Random(count)
    site, chargers, ev_phases, feeds = tree_garage(rng, count)
    balancer = Balancer()
    # The building's own load: a part on each sub-board, the rest elsewhere.
    board_base = [[0.05 * site.fuse_a] * 3 for _ in range(_SUB_BOARDS)]
    rest = [0.3 * site.fuse_a] * 3
    now = 0.0
    samples: list[float] = []
    for round_index in range(rounds + 20):
        now += 2.0
        rest = [max(0.0, b + rng.uniform(-2.0, 2.0)) for b in rest]
        for base in board_base:
            base[:] = [max(0.0, b + rng.uniform(-1.0, 1.0)) for b in base]
        boards = [list(base) for base in board_base]
        measured = list(rest)
        for board, base in enumerate(board_base):
            for phase, value in enumerate(base):
                measured[feeds[board][phase]] += value
        for index, (charger, phases) in enumerate(
            zip(chargers, ev_phases, strict=True)
        ):
            board = index % _SUB_BOARDS
            for conductor in range(min(phases, len(charger.wiring))):
                if charger.measured_a:
                    value = charger.measured_a[conductor]
                    site_phase = charger.wiring[conductor]
                    measured[site_phase] += value
                    boards[board][feeds[board].index(site_phase)] += value
        readings = {
            f"board{board}": CircuitReading(tuple(values), now)
            for board, values in enumerate(boards)
        }
        started = time.perf_counter()
        allocation = balancer.allocate(
            now, site, measured, chargers, circuit_readings=readings
        )
        elapsed = time.perf_counter() - started
        if round_index >= 20:  # warm-up rounds fill the queue and caches
            samples.append(elapsed)
        chargers = followed(chargers, allocation, ev_phases)
    return samples


def main() -> None:
    for count in SIZES:
        rounds = 300 if count <= 200 else 100
        print(
            bench_line("allocate_tree", run(count, rounds), n=count, depth=3),
            flush=True,
        )


def _row_of(index: int) -> str:
    """Chargers go round the sub-boards, then round each board's rows."""
    return f"board{index % _SUB_BOARDS}.row{(index // _SUB_BOARDS) % _ROWS}"
