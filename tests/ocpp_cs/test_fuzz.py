"""Fuzzing the real server over real websockets (issue #12).

Hypothesis draws frames of every action of both versions (frames.py) and
sends them to an adopted and an unknown charger of each version; the
numbered cases of the issue are sent first. Every answer must be within
the protocol, a refused frame must change nothing, what is kept must be
plausible, and nothing may log a traceback. Bounded here; `make fuzz`
(EVLB_FUZZ_EXAMPLES) runs it long.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
import logging
import os

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.ev_load_balancer.ocpp_cs.const import OcppVersion

from .frames import BROKEN_FRAMES, NUMBERED_CASES, Frame, frames
from .fuzz_run import TARGETS, Fuzzer, Target, fuzzer, tracebacks

EXAMPLES = int(os.environ.get("EVLB_FUZZ_EXAMPLES", "40"))
FRAMES_PER_EXAMPLE = 8


@pytest.fixture
async def fuzzing() -> AsyncIterator[Fuzzer]:
    async with fuzzer() as running:
        yield running


def _aimed(target: Target) -> st.SearchStrategy[tuple[Target, Frame]]:
    return frames(target.version).map(lambda frame: (target, frame))


SENDS = st.lists(
    st.sampled_from(TARGETS).flatmap(_aimed), min_size=1, max_size=FRAMES_PER_EXAMPLE
)


async def test_the_numbered_cases_and_broken_frames(
    fuzzing: Fuzzer, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        for target in TARGETS:
            for frame in NUMBERED_CASES if target.version is OcppVersion.V16 else ():
                await fuzzing.send(target, frame)
            for frame in BROKEN_FRAMES:
                await fuzzing.send(target, frame)
    assert fuzzing.report.problems == []
    assert tracebacks(caplog.records) == []
    assert fuzzing.server.sessions.records == ()


@settings(
    max_examples=EXAMPLES,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
@given(sends=SENDS)
async def test_fuzzed_frames_get_protocol_answers_and_leave_no_trace(
    fuzzing: Fuzzer,
    caplog: pytest.LogCaptureFixture,
    sends: list[tuple[Target, Frame]],
) -> None:
    fuzzing.report.problems.clear()  # the server lives on; each example is judged
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        for target, frame in sends:
            await fuzzing.send(target, frame)
    assert fuzzing.report.problems == []
    assert tracebacks(caplog.records) == []
