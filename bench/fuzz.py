"""10,000 fuzz frames against the real OCPP server, timed; tracebacks counted.

The frames are those of the fuzz test (tests/ocpp_cs/frames.py: every action
of OCPP 1.6J and 2.0.1 from the official schemas, hostile values, broken
framing, issue #12's numbered cases), drawn by hypothesis up front, then
sent over real websockets to an adopted and an unknown charger of each
version, each answer judged as in the test (tests/ocpp_cs/fuzz_run.py).
The figures: frames sent, seconds taken (sending and judging), log records
with a traceback (or at error level), and answers outside the protocol.

Run: `python -m bench.fuzz`.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings

from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis.errors import NonInteractiveExampleWarning

from tests.ocpp_cs.frames import BROKEN_FRAMES, NUMBERED_CASES, Frame, frames
from tests.ocpp_cs.fuzz_run import TARGETS, Target, fuzzer, tracebacks

FRAMES = 10_000


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or record.levelno >= logging.ERROR:
            self.records.append(record)


def _draw(count: int) -> list[tuple[Target, Frame]]:
    """`count` frames, each aimed at one of the chargers."""
    drawn: list[tuple[Target, Frame]] = []
    aimed = st.sampled_from(TARGETS).flatmap(
        lambda target: frames(target.version).map(lambda frame: (target, frame))
    )
    per_example = 10  # hypothesis's own cost is per example: draw in batches

    @settings(
        max_examples=-(-count // per_example),
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.lists(aimed, min_size=per_example, max_size=per_example))
    def collect(sends: list[tuple[Target, Frame]]) -> None:
        drawn.extend(sends)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        collect()
    return drawn[:count]


async def run(sends: list[tuple[Target, Frame]]) -> tuple[float, int]:
    async with fuzzer() as fuzzing:
        started = time.perf_counter()
        for target, frame in sends:
            await fuzzing.send(target, frame)
        elapsed = time.perf_counter() - started
    return elapsed, len(fuzzing.report.problems)


def main() -> None:
    fixed = [
        (target, frame)
        for target in TARGETS
        for frame in (*NUMBERED_CASES, *BROKEN_FRAMES)
    ]
    sends = fixed + _draw(FRAMES - len(fixed))
    handler = _Records()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    # Keep the cost of formatting everything out of the figure: only
    # tracebacks and errors are recorded (the handler's own filter).
    for name in ("websockets", "asyncio", "aiohttp", "custom_components"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        elapsed, problems = asyncio.run(run(sends))
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    print(
        f"BENCH fuzz frames={len(sends)} s={elapsed:.1f} "
        f"tracebacks={len(tracebacks(handler.records))} problems={problems}",
        flush=True,
    )


if __name__ == "__main__":
    main()
