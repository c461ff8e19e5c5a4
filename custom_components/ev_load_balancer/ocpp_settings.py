"""The site's OCPP server settings: read from options, edited in the options flow."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import re
import ssl
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import section
from homeassistant.helpers import selector
import voluptuous as vol

from .ocpp_const import (
    CONF_OCPP_ENABLED,
    CONF_OCPP_HOST,
    CONF_OCPP_PATH,
    CONF_OCPP_PORT,
    CONF_OCPP_SERVER,
    CONF_OCPP_TLS_CERT,
    CONF_OCPP_TLS_KEY,
    DEFAULT_OCPP_HOST,
    DEFAULT_OCPP_PATH,
    DEFAULT_OCPP_PORT,
    OCPP_CALL_TIMEOUT_S,
)
from .ocpp_cs import ServerConfig, server_ssl_context

# URL path segments a charger can be given without escaping.
_PATH = re.compile(r"(/[A-Za-z0-9._~-]+)*")


@dataclass(frozen=True, slots=True, kw_only=True)
class OcppServerSettings:
    """Where the site's central system listens; off unless the user turns it on."""

    enabled: bool = False
    host: str = DEFAULT_OCPP_HOST
    port: int = DEFAULT_OCPP_PORT
    path: str = DEFAULT_OCPP_PATH
    tls_certificate: str | None = None
    tls_key: str | None = None

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> OcppServerSettings:
        raw = options.get(CONF_OCPP_SERVER) or {}
        return cls(
            enabled=bool(raw.get(CONF_OCPP_ENABLED, False)),
            host=str(raw.get(CONF_OCPP_HOST) or DEFAULT_OCPP_HOST),
            port=int(raw.get(CONF_OCPP_PORT, DEFAULT_OCPP_PORT)),
            path=normalised_path(str(raw.get(CONF_OCPP_PATH, DEFAULT_OCPP_PATH))),
            tls_certificate=raw.get(CONF_OCPP_TLS_CERT) or None,
            tls_key=raw.get(CONF_OCPP_TLS_KEY) or None,
        )

    @property
    def tls(self) -> bool:
        """Security profile 2 (wss://)."""
        return self.tls_certificate is not None and self.tls_key is not None

    def url(self, host: str, port: int | None = None) -> str:
        """What a charger is pointed at, without its own id."""
        scheme = "wss" if self.tls else "ws"
        return f"{scheme}://{host}:{self.port if port is None else port}{self.path}"

    def server_config(self, ssl_context: ssl.SSLContext | None) -> ServerConfig:
        return ServerConfig(
            host=self.host,
            port=self.port,
            path=self.path,
            ssl_context=ssl_context,
            call_timeout_s=OCPP_CALL_TIMEOUT_S,
        )

    async def async_ssl_context(self, hass: HomeAssistant) -> ssl.SSLContext | None:
        """The TLS context (files are read in an executor); raises OSError/SSLError."""
        if self.tls_certificate is None or self.tls_key is None:
            return None
        return await hass.async_add_executor_job(
            server_ssl_context, self.tls_certificate, self.tls_key
        )


def normalised_path(path: str) -> str:
    """'/ocpp', from 'ocpp', '/ocpp/' or ' /ocpp '; '' stays the root."""
    stripped = path.strip().strip("/")
    return f"/{stripped}" if stripped else ""


def server_section(options: Mapping[str, Any]) -> section:
    """The collapsed 'OCPP server' part of the options form."""
    current = OcppServerSettings.from_options(options)

    def _optional(key: str, value: str | None) -> vol.Optional:
        return vol.Optional(key, description={"suggested_value": value})

    schema = vol.Schema(
        {
            vol.Required(
                CONF_OCPP_ENABLED, default=current.enabled
            ): selector.BooleanSelector(),
            vol.Required(CONF_OCPP_HOST, default=current.host): selector.TextSelector(),
            vol.Required(CONF_OCPP_PORT, default=current.port): selector.NumberSelector(
                selector.NumberSelectorConfig(
                    min=1, max=65535, step=1, mode=selector.NumberSelectorMode.BOX
                )
            ),
            vol.Required(CONF_OCPP_PATH, default=current.path): selector.TextSelector(),
            _optional(CONF_OCPP_TLS_CERT, current.tls_certificate): (
                selector.TextSelector()
            ),
            _optional(CONF_OCPP_TLS_KEY, current.tls_key): selector.TextSelector(),
        }
    )
    return section(schema, {"collapsed": not current.enabled})


async def async_validate_server(
    hass: HomeAssistant, raw: Mapping[str, Any]
) -> tuple[dict[str, Any], str | None]:
    """The section as it will be stored, and an error key (or None)."""
    cleaned = {
        CONF_OCPP_ENABLED: bool(raw.get(CONF_OCPP_ENABLED, False)),
        CONF_OCPP_HOST: str(raw.get(CONF_OCPP_HOST) or DEFAULT_OCPP_HOST).strip(),
        CONF_OCPP_PORT: int(raw.get(CONF_OCPP_PORT, DEFAULT_OCPP_PORT)),
        # No section at all (the form left it folded): the default path.
        CONF_OCPP_PATH: normalised_path(
            str(raw.get(CONF_OCPP_PATH, DEFAULT_OCPP_PATH))
        ),
        CONF_OCPP_TLS_CERT: (raw.get(CONF_OCPP_TLS_CERT) or "").strip() or None,
        CONF_OCPP_TLS_KEY: (raw.get(CONF_OCPP_TLS_KEY) or "").strip() or None,
    }
    settings = OcppServerSettings.from_options({CONF_OCPP_SERVER: cleaned})
    if not _PATH.fullmatch(settings.path):
        return cleaned, "ocpp_path_invalid"
    if (settings.tls_certificate is None) != (settings.tls_key is None):
        return cleaned, "ocpp_tls_pair"
    try:
        await settings.async_ssl_context(hass)
    except (OSError, ssl.SSLError):
        return cleaned, "ocpp_tls_invalid"
    return cleaned, None
