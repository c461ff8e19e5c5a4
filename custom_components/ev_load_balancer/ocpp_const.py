"""Constants of the OCPP part: the server options, OCPP chargers, their services."""

from __future__ import annotations

from typing import Final

# The site's OCPP server: one options section (changing it reloads the site).
CONF_OCPP_SERVER: Final = "ocpp_server"
CONF_OCPP_ENABLED: Final = "enabled"
CONF_OCPP_HOST: Final = "host"
CONF_OCPP_PORT: Final = "port"
CONF_OCPP_PATH: Final = "path"
CONF_OCPP_TLS_CERT: Final = "tls_certificate"
CONF_OCPP_TLS_KEY: Final = "tls_key"

DEFAULT_OCPP_HOST: Final = "0.0.0.0"  # noqa: S104 (chargers are on the LAN)
DEFAULT_OCPP_PORT: Final = 9000
DEFAULT_OCPP_PATH: Final = "/ocpp"
# Below the coordinator's command timeout (10 s), so that a charger that does
# not answer is reported as an OCPP timeout, not as a stuck command.
OCPP_CALL_TIMEOUT_S: Final = 8.0
# A server that could not start (port taken) tries again this often.
OCPP_START_RETRY_S: Final = 60.0

# Site options of the OCPP chargers (applied in place, no reload).
# The dynamic limit expires after this unless refreshed: a Home Assistant
# that is gone leaves every charger at its failsafe within this time.
CONF_PROFILE_VALIDITY: Final = "profile_validity"
DEFAULT_PROFILE_VALIDITY_S: Final = 120
PROFILE_VALIDITY_RANGE_S: Final = (60, 900)
# A charger that cannot be limited may have its session stopped while the
# fuse needs it; forbidden, it is only set unavailable.
CONF_ALLOW_STOP: Final = "allow_stop"
DEFAULT_ALLOW_STOP: Final = True

# An adopted OCPP charger (config subentry data).
SUBENTRY_OCPP_CHARGER: Final = "ocpp_charger"
CONTROL_OCPP: Final = "ocpp"
CONF_CHARGE_POINT_ID: Final = "charge_point_id"
CONF_FAILSAFE_CURRENT: Final = "failsafe_current"
# Field names, not secrets. The password is a flow field only, never stored.
CONF_PASSWORD: Final = "password"  # noqa: S105
CONF_PASSWORD_HASH: Final = "password_hash"  # noqa: S105
CONF_CLEAR_PASSWORD: Final = "clear_password"  # noqa: S105 (reconfigure only)
CONF_PENDING_CHARGER: Final = "pending_charger"
# Adoption: share the failsafe budget equally among every OCPP charger.
CONF_REBALANCE_FAILSAFE: Final = "rebalance_failsafe"

# Services for OCPP chargers
SERVICE_REMOTE_START: Final = "remote_start"
SERVICE_REMOTE_STOP: Final = "remote_stop"
SERVICE_UNLOCK_CONNECTOR: Final = "unlock_connector"
SERVICE_RESET_CHARGER: Final = "reset_charger"
SERVICE_EXPORT_SESSIONS: Final = "export_sessions"
ATTR_ID_TAG: Final = "id_tag"
ATTR_HARD: Final = "hard"

# Repair issues
ISSUE_OCPP_PENDING: Final = "ocpp_charger_waiting"
ISSUE_OCPP_SERVER: Final = "ocpp_server_failed"
ISSUE_OCPP_COLLISION: Final = "ocpp_id_collision"
ISSUE_OCPP_NO_PASSWORD: Final = "ocpp_no_password"  # noqa: S105 (an issue id)
ISSUE_OCPP_CANNOT_LIMIT: Final = "ocpp_cannot_limit"
