"""The site card, served and loaded by the integration itself.

The card's single JS file (built from frontend/ in the repository by
`make card`) is served as a static path and added to every frontend page as
an extra module, as core integrations do: no Lovelace resource to add by
hand, no separate frontend repository. Its content hash in the URL makes
browsers fetch a new build after an update.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from homeassistant.components.frontend import add_extra_js_url
from homeassistant.components.http import StaticPathConfig
from homeassistant.core import HomeAssistant

from .const import DOMAIN

_LOGGER = logging.getLogger(__name__)

CARD_FILE = Path(__file__).parent / "frontend" / "ev-load-balancer-card.js"
CARD_URL = f"/{DOMAIN}/ev-load-balancer-card.js"


async def async_register_card(hass: HomeAssistant) -> str | None:
    """Serve the card and load it on every page; its URL, or None without a UI."""
    if hass.http is None or "frontend" not in hass.config.components:
        # No web server (a headless setup, most tests): nobody to show it to.
        return None
    digest = await hass.async_add_executor_job(_digest, CARD_FILE)
    await hass.http.async_register_static_paths(
        [StaticPathConfig(CARD_URL, str(CARD_FILE), cache_headers=True)]
    )
    url = f"{CARD_URL}?v={digest}"
    add_extra_js_url(hass, url)
    _LOGGER.debug("Site card served at %s", url)
    return url


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
