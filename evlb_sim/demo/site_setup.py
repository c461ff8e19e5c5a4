"""The integration's own flows, driven as a user would: the site with its
Modbus meter, its OCPP server switched on in the options, then one subentry
per charger to adopt it (a few adoptions at a time, as several browser tabs
would run them: the flow checks and takes the failsafe budget in one step).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Any

from custom_components.ev_load_balancer.const import (
    CIRCUIT_SITE,
    CONF_CIRCUIT,
    CONF_CIRCUIT_PHASES,
    CONF_CONNECTION,
    CONF_FUSE,
    CONF_MARGIN,
    CONF_MAX_CURRENT,
    CONF_MIN_CURRENT,
    CONF_PARENT,
    CONF_PHASES,
    CONF_RATING,
    CONF_RESERVE,
    CONF_VOLTAGE,
    DOMAIN,
    SUBENTRY_CIRCUIT,
)
from custom_components.ev_load_balancer.meter.meter_models import SDM630
from custom_components.ev_load_balancer.modbus_entry import HOST, MODEL, PORT, UNIT_ID
from custom_components.ev_load_balancer.ocpp_const import (
    CONF_CHARGE_POINT_ID,
    CONF_FAILSAFE_CURRENT,
    CONF_OCPP_ENABLED,
    CONF_OCPP_HOST,
    CONF_OCPP_PATH,
    CONF_OCPP_PORT,
    CONF_OCPP_SERVER,
    CONF_PENDING_CHARGER,
    SUBENTRY_OCPP_CHARGER,
)
from evlb_sim.live.site import SiteSpec, charger_id

from .flows import (
    Answer,
    FlowError,
    form_field,
    run_config_flow,
    run_options_flow,
    run_subentry_flow,
)
from .ha_api import HomeAssistantApi, poll_until
from .options import DemoOptions

SITE_NAME = "Apartment block"
ROW_NAME = "Row A"
OCPP_PATH = "/ocpp"
METER_UNIT_ID = 1
LOADED_TIMEOUT_S = 120.0  # after the site's setup and its server options
PENDING_WAIT_S = 30.0  # the first chargers to knock on the server
POLL_S = 0.5
ADOPTING_AT_ONCE = 4
# Another adoption took the failsafe budget the form offered: take what it
# offers now.
RETRY_ON = frozenset({"failsafe_over_budget"})


async def configure_site(api: HomeAssistantApi, options: DemoOptions) -> str:
    """Add the site and switch its OCPP server on; returns its config entry id."""
    created = await run_config_flow(
        api,
        DOMAIN,
        {
            "user": {
                "name": SITE_NAME,
                CONF_PHASES: "3",
                CONF_FUSE: options.fuse_a,
                CONF_MARGIN: options.margin_a,
                CONF_VOLTAGE: 230,
            },
            "meter_source": {"next_step_id": "modbus_tcp"},
            "modbus_tcp": {
                HOST: "127.0.0.1",
                PORT: options.meter_port,
                UNIT_ID: METER_UNIT_ID,
                MODEL: SDM630.key,
            },
            # The test read found the meter: save it.
            "modbus_confirm": {"next_step_id": "modbus_save"},
        },
    )
    entry_id = str(created["result"]["entry_id"])
    await wait_until_loaded(api, entry_id)
    await run_options_flow(
        api,
        entry_id,
        {
            "init": lambda form: {
                **_defaults(form),
                CONF_OCPP_SERVER: {
                    CONF_OCPP_ENABLED: True,
                    CONF_OCPP_HOST: "127.0.0.1",
                    CONF_OCPP_PORT: options.ocpp_port,
                    CONF_OCPP_PATH: OCPP_PATH,
                },
            }
        },
    )
    await wait_until_loaded(api, entry_id)
    if options.circuit_a is not None:
        await run_subentry_flow(
            api,
            entry_id,
            SUBENTRY_CIRCUIT,
            {
                "circuit": {
                    "name": ROW_NAME,
                    CONF_PARENT: CIRCUIT_SITE,
                    CONF_CIRCUIT_PHASES: ["l1", "l2", "l3"],
                    CONF_RATING: options.circuit_a,
                    CONF_MARGIN: 0,
                    CONF_RESERVE: 0,
                },
                "meter": {},  # none: its chargers' own readings count
            },
        )
    return entry_id


async def adopt_chargers(
    api: HomeAssistantApi,
    entry_id: str,
    spec: SiteSpec,
    *,
    progress: Callable[[str], None],
) -> None:
    """Adopt every simulated charger, picked from those waiting on the server.

    An adoption changes the running site in place (no reload): the site is
    checked to be loaded with each progress line, not after every charger.
    """
    await _wait_for_pending(api, entry_id)
    waiting = iter(range(spec.chargers))
    adopted = 0

    async def adopt_in_turn() -> None:
        nonlocal adopted
        for index in waiting:
            await run_subentry_flow(
                api,
                entry_id,
                SUBENTRY_OCPP_CHARGER,
                _adoption_answers(spec, index),
                retry_on=RETRY_ON,
            )
            adopted += 1
            count = adopted  # others go on meanwhile
            if count % 10 == 0 or count == spec.chargers:
                await wait_until_loaded(api, entry_id)
                progress(f"  {count} of {spec.chargers} chargers adopted")

    async with asyncio.TaskGroup() as group:
        for _ in range(min(ADOPTING_AT_ONCE, spec.chargers)):
            group.create_task(adopt_in_turn())


def _adoption_answers(spec: SiteSpec, index: int) -> dict[str, Answer]:
    wanted = charger_id(index)

    def which(form: Mapping[str, Any]) -> Mapping[str, Any]:
        return _choose(form, wanted)

    def how(form: Mapping[str, Any]) -> Mapping[str, Any]:
        answer = {
            "name": wanted,  # the dashboard's cards carry the charge point ids
            CONF_CONNECTION: spec.connection(index),
            CONF_MIN_CURRENT: 6,
            CONF_MAX_CURRENT: spec.charger_max_a,
            # What the flow offers within the site's failsafe budget.
            CONF_FAILSAFE_CURRENT: _offered(form),
        }
        row = _row(form)
        if row is not None:
            # The first half of the chargers hang on the row.
            answer[CONF_CIRCUIT] = row if index < spec.chargers // 2 else CIRCUIT_SITE
        return answer

    return {"user": which, "charger": how}


def _row(form: Mapping[str, Any]) -> str | None:
    """The row's value in the form's circuit field, as a user picks it by name."""
    try:
        field = form_field(form, CONF_CIRCUIT)
    except FlowError:
        return None  # the site has no circuits
    choices = field.get("selector", {}).get("select", {}).get("options", [])
    return next(
        (str(choice["value"]) for choice in choices if choice["label"] == ROW_NAME),
        None,
    )


def _choose(form: Mapping[str, Any], wanted: str) -> dict[str, Any]:
    """The charger from the waiting list when it is there, else typed in.

    The server lets a few dozen unknown chargers wait at a time; the others
    retry their connection. One not back yet is adopted by its id, as a user
    would (it is accepted when it connects).
    """
    if wanted in _pending(form):
        return {CONF_PENDING_CHARGER: wanted}
    return {CONF_CHARGE_POINT_ID: wanted}


def _pending(form: Mapping[str, Any]) -> set[str]:
    try:
        field = form_field(form, CONF_PENDING_CHARGER)
    except FlowError:
        return set()  # nobody waiting: the form has no list
    choices = field.get("selector", {}).get("select", {}).get("options", [])
    return {str(choice["value"]) for choice in choices}


async def _wait_for_pending(api: HomeAssistantApi, entry_id: str) -> None:
    """Until chargers wait for adoption (the server takes a few dozen at a
    time; which ones is up to their retries, so any will do)."""

    async def waiting() -> bool:
        form = await api.post(
            "/api/config/config_entries/subentries/flow",
            {"handler": [entry_id, SUBENTRY_OCPP_CHARGER]},
        )
        await api.delete(
            f"/api/config/config_entries/subentries/flow/{form['flow_id']}"
        )
        return bool(_pending(form))

    try:
        async with asyncio.timeout(PENDING_WAIT_S):
            await poll_until(waiting, every_s=POLL_S)
    except TimeoutError:
        pass  # adopted by id instead; it is balanced once it connects


async def wait_until_loaded(api: HomeAssistantApi, entry_id: str) -> None:
    """Until the site's config entry is set up (again)."""

    async def loaded() -> bool:
        entries = await api.get(f"/api/config/config_entries/entry?domain={DOMAIN}")
        states = {entry["entry_id"]: entry["state"] for entry in entries}
        state = states.get(entry_id)
        if state in {"setup_error", "migration_error", "failed_unload"}:
            raise FlowError(f"the site's config entry is in state {state}")
        return state == "loaded"

    try:
        async with asyncio.timeout(LOADED_TIMEOUT_S):
            await poll_until(loaded, every_s=POLL_S)
    except TimeoutError as err:
        raise FlowError("the site did not finish loading") from err


def _offered(form: Mapping[str, Any]) -> float:
    """The failsafe current the form offers; once refused because another
    adoption took the budget, what the form (its text) offers now."""
    if form.get("errors"):
        offered = str(form["description_placeholders"]["offered"])
        return float(offered.removesuffix(" A"))
    return float(_default(form, CONF_FAILSAFE_CURRENT))


def _default(form: Mapping[str, Any], name: str) -> Any:
    return form_field(form, name).get("default")


def _defaults(form: Mapping[str, Any]) -> dict[str, Any]:
    """What the form offers for every field that has a default."""
    return {
        str(field["name"]): field["default"]
        for field in form.get("data_schema", [])
        if "default" in field
    }
