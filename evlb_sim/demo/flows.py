"""Drive a config flow (or subentry flow) through Home Assistant's REST API,
step by step, as the frontend's dialogs do.

The caller says what to answer at each step id; a step that comes back with
errors, an unexpected step or an abort stops the demo with what went wrong.
Errors the caller expects (`retry_on`: another flow took the failsafe budget
meanwhile) send the step back to its answer, which sees them in the form.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Any

from .ha_api import HaApiError, HomeAssistantApi

CONFIG_FLOWS = "/api/config/config_entries/flow"
SUBENTRY_FLOWS = "/api/config/config_entries/subentries/flow"
OPTIONS_FLOWS = "/api/config/config_entries/options/flow"

# An answer: fixed form values, or a function of the step's form (to pick
# one of the options the form offers).
type Answer = Mapping[str, Any] | Callable[[Mapping[str, Any]], Mapping[str, Any]]

PROGRESS_POLL_S = 0.5
PROGRESS_TIMEOUT_S = 120.0
MAX_RETRIES = 3  # per step, for the errors a caller expects


class FlowError(HaApiError):
    """A flow went somewhere the demo did not expect."""


async def run_config_flow(
    api: HomeAssistantApi, handler: str, answers: Mapping[str, Answer]
) -> Mapping[str, Any]:
    """Start the integration's config flow; returns the created entry."""
    result = await api.post(CONFIG_FLOWS, {"handler": handler})
    return await _drive(api, CONFIG_FLOWS, result, answers)


async def run_subentry_flow(
    api: HomeAssistantApi,
    entry_id: str,
    subentry_type: str,
    answers: Mapping[str, Answer],
    *,
    retry_on: frozenset[str] = frozenset(),
) -> Mapping[str, Any]:
    """Start a subentry flow (e.g. add a charger) on a config entry."""
    result = await api.post(SUBENTRY_FLOWS, {"handler": [entry_id, subentry_type]})
    return await _drive(api, SUBENTRY_FLOWS, result, answers, retry_on)


async def run_options_flow(
    api: HomeAssistantApi, entry_id: str, answers: Mapping[str, Answer]
) -> Mapping[str, Any]:
    """Change a config entry's options, as its Configure dialog does."""
    result = await api.post(OPTIONS_FLOWS, {"handler": entry_id})
    return await _drive(api, OPTIONS_FLOWS, result, answers)


def form_field(form: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    """The schema entry of one field of a form step."""
    for field in form.get("data_schema", []):
        if field.get("name") == name:
            return dict(field)
    raise FlowError(f"step {form.get('step_id')!r} has no field {name!r}")


async def _drive(
    api: HomeAssistantApi,
    base: str,
    result: Mapping[str, Any],
    answers: Mapping[str, Answer],
    retry_on: frozenset[str] = frozenset(),
) -> Mapping[str, Any]:
    answered: set[str] = set()
    retries: dict[str, int] = {}
    while True:
        kind = result.get("type")
        flow_id = result.get("flow_id")
        if kind == "create_entry":
            return result
        if kind == "abort":
            raise FlowError(f"flow aborted: {result.get('reason')}")
        if kind == "progress":
            result = await _wait_for_progress(api, base, str(flow_id))
            continue
        step = str(result.get("step_id"))
        errors = result.get("errors") if kind == "form" else None
        if errors:
            if not set(errors.values()) <= retry_on or (
                retries.get(step, 0) >= MAX_RETRIES
            ):
                raise FlowError(f"step {step!r} refused the answer: {errors}")
            retries[step] = retries.get(step, 0) + 1
        elif step in answered and kind == "form":
            raise FlowError(f"step {step!r} came back a second time")
        if step not in answers:
            raise FlowError(f"unexpected {kind} step {step!r}")
        answer = answers[step]
        payload = answer(result) if callable(answer) else answer
        answered.add(step)
        result = await api.post(f"{base}/{flow_id}", payload)


async def _wait_for_progress(
    api: HomeAssistantApi, base: str, flow_id: str
) -> Mapping[str, Any]:
    """A step working in the background: ask again until it is done."""
    async with asyncio.timeout(PROGRESS_TIMEOUT_S):
        while True:
            await asyncio.sleep(PROGRESS_POLL_S)
            result: Mapping[str, Any] = await api.get(f"{base}/{flow_id}")
            if result.get("type") != "progress":
                return result
