"""Driving a config flow step by step over the REST API (a scripted server)."""

from __future__ import annotations

from typing import Any

import pytest

from evlb_sim.demo.flows import (
    CONFIG_FLOWS,
    SUBENTRY_FLOWS,
    FlowError,
    form_field,
    run_config_flow,
    run_subentry_flow,
)


class _ScriptedApi:
    """Answers POSTs in order; remembers what was sent."""

    def __init__(self, *answers: dict[str, Any]) -> None:
        self._answers = list(answers)
        self.sent: list[tuple[str, dict[str, Any]]] = []

    async def post(self, path: str, payload: dict[str, Any] | None = None) -> Any:
        self.sent.append((path, dict(payload or {})))
        return self._answers.pop(0)

    async def get(self, path: str) -> Any:
        self.sent.append((path, {}))
        return self._answers.pop(0)


def _form(step: str, errors: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "type": "form",
        "flow_id": "F",
        "step_id": step,
        "errors": errors or {},
        "data_schema": [
            {"name": "choice", "selector": {"select": {"options": ["a", "b"]}}}
        ],
    }


async def test_each_step_gets_its_answer_until_the_entry_is_made() -> None:
    api = _ScriptedApi(
        _form("user"),
        {"type": "menu", "flow_id": "F", "step_id": "pick"},
        _form("detail"),
        {"type": "progress", "flow_id": "F", "step_id": "probe"},
        {"type": "progress", "flow_id": "F", "step_id": "probe"},
        {"type": "create_entry", "flow_id": "F", "result": {"entry_id": "E"}},
    )
    result = await run_config_flow(
        api,  # type: ignore[arg-type]
        "demo",
        {
            "user": {"name": "x"},
            "pick": {"next_step_id": "detail"},
            "detail": lambda form: {
                "choice": form_field(form, "choice")["selector"]["select"]["options"][
                    -1
                ]
            },
        },
    )
    assert result["result"]["entry_id"] == "E"
    assert api.sent[0] == (CONFIG_FLOWS, {"handler": "demo"})
    assert api.sent[1] == (f"{CONFIG_FLOWS}/F", {"name": "x"})
    assert api.sent[3] == (f"{CONFIG_FLOWS}/F", {"choice": "b"})


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ((_form("user", {"base": "cannot_connect"}),), "refused the answer"),
        (({"type": "abort", "reason": "already_configured"},), "already_configured"),
        ((_form("other"),), "unexpected form step 'other'"),
    ],
)
async def test_surprises_stop_the_flow_with_what_happened(
    answers: tuple[dict[str, Any], ...], message: str
) -> None:
    api = _ScriptedApi(*answers)
    with pytest.raises(FlowError, match=message):
        await run_config_flow(api, "demo", {"user": {}})  # type: ignore[arg-type]


async def test_an_expected_error_sends_the_step_back_to_its_answer() -> None:
    # Another adoption took the budget: the answer sees why and answers again.
    api = _ScriptedApi(
        _form("charger"),
        _form("charger", {"failsafe_current": "failsafe_over_budget"}),
        {"type": "create_entry", "flow_id": "F", "result": True},
    )
    seen: list[dict[str, str]] = []

    def answer(form: Any) -> dict[str, Any]:
        seen.append(dict(form["errors"]))
        return {"failsafe_current": 0 if form["errors"] else 6}

    await run_subentry_flow(
        api,  # type: ignore[arg-type]
        "E",
        "ocpp_charger",
        {"charger": answer},
        retry_on=frozenset({"failsafe_over_budget"}),
    )
    assert seen == [{}, {"failsafe_current": "failsafe_over_budget"}]
    assert [payload for _, payload in api.sent[1:]] == [
        {"failsafe_current": 6},
        {"failsafe_current": 0},
    ]
    assert api.sent[0] == (SUBENTRY_FLOWS, {"handler": ["E", "ocpp_charger"]})


async def test_other_errors_still_stop_the_flow() -> None:
    api = _ScriptedApi(
        _form("charger"), _form("charger", {"max_current": "max_below_min"})
    )
    with pytest.raises(FlowError, match="refused the answer"):
        await run_subentry_flow(
            api,  # type: ignore[arg-type]
            "E",
            "ocpp_charger",
            {"charger": {"failsafe_current": 6}},
            retry_on=frozenset({"failsafe_over_budget"}),
        )
