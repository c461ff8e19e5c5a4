"""Onboard a fresh Home Assistant as its onboarding pages would: a user, then
the remaining steps (location, analytics, integrations) as they come.
"""

from __future__ import annotations

from dataclasses import dataclass

from .ha_api import HaApiError, HomeAssistantApi


@dataclass(frozen=True, slots=True)
class DemoUser:
    """The login the demo prints."""

    name: str = "Demo"
    username: str = "demo"
    password: str = "demo"  # noqa: S105 (a local demo; printed on purpose)


async def onboard(api: HomeAssistantApi, user: DemoUser) -> None:
    """Create the owner and finish every onboarding step; keeps a token in `api`.

    Core config, analytics and integrations are left at their defaults (the
    location and units come from configuration.yaml; analytics stay off).
    """
    client_id = f"{api.base_url}/"
    done = {
        step["step"]
        for step in await api.get("/api/onboarding", auth=False)
        if step["done"]
    }
    if "user" in done:
        raise HaApiError("this Home Assistant is onboarded already")
    created = await api.post(
        "/api/onboarding/users",
        {
            "client_id": client_id,
            "name": user.name,
            "username": user.username,
            "password": user.password,
            "language": "en",
        },
        auth=False,
    )
    await api.token_from_code(client_id, created["auth_code"])
    await api.post("/api/onboarding/core_config")
    await api.post("/api/onboarding/analytics")
    await api.post(
        "/api/onboarding/integration",
        {"client_id": client_id, "redirect_uri": f"{client_id}?auth_callback=1"},
    )


async def remove_online_services(api: HomeAssistantApi) -> None:
    """Onboarding adds a weather forecast from the internet; the demo is offline."""
    for entry in await api.get("/api/config/config_entries/entry?domain=met"):
        await api.delete(f"/api/config/config_entries/entry/{entry['entry_id']}")
