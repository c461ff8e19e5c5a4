"""Settings of the server and of each adopted charger (what HA persists)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
import ssl

from .const import CHARGER_ID_PATTERN


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerConfig:
    """Where the central system listens and how it treats connections."""

    host: str = "0.0.0.0"  # noqa: S104 (chargers are on the LAN)
    port: int = 9000  # 0 picks a free port; read it back from CentralSystem.port
    path: str = "/ocpp"  # chargers connect to ws://host:port/<path>/<charger id>
    ssl_context: ssl.SSLContext | None = None  # security profile 2 (see tls.py)
    # Frames above this are refused (close code 1009); GetConfiguration answers
    # with every key of a charger fit comfortably.
    max_frame_bytes: int = 256 * 1024
    # How long a charger may take to answer one CALL.
    call_timeout_s: float = 15.0
    heartbeat_interval_s: int = 300  # told to accepted chargers
    pending_retry_s: int = 60  # a pending charger boots again after this
    # Websocket pings find dead TCP connections; None disables them.
    ws_ping_interval_s: float | None = 60.0
    # A peer that does not answer our close frame is dropped after this.
    close_timeout_s: float = 5.0
    # Unknown chargers waiting for adoption; more are refused (503) so that
    # anyone on the network cannot fill the list, nor one address most of it.
    max_pending: int = 32
    max_pending_per_address: int = 8
    # From TCP connect to the accepted websocket (a half-sent request is
    # closed then); connections not accepted yet, in total and per address.
    handshake_timeout_s: float = 15.0
    max_handshakes: int = 128
    max_handshakes_per_address: int = 32
    # Password checks (16 MB of scrypt each) running at once and waiting;
    # after a failure the id and the address wait, doubling up to the cap.
    password_checks_at_once: int = 2
    password_checks_waiting: int = 32
    auth_backoff_first_s: float = 1.0
    auth_backoff_cap_s: float = 60.0
    # A second connection for a connected charger without a password is
    # refused if the first one answers a ping within this time.
    liveness_probe_s: float = 5.0
    # Refused connections are logged as a count once per this interval.
    refusal_log_interval_s: float = 60.0

    def __post_init__(self) -> None:
        if self.path and (not self.path.startswith("/") or self.path.endswith("/")):
            raise ValueError("path must start with '/' and not end with it")
        if self.max_frame_bytes < 1024 or self.call_timeout_s <= 0:
            raise ValueError("frame cap and call timeout must be sensible")
        if self.handshake_timeout_s <= 0 or self.password_checks_at_once < 1:
            raise ValueError("handshake timeout and password checks must be positive")


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargerConfig:
    """One adopted charger. HA stores `as_dict()` and restores with `from_dict`."""

    charger_id: str
    # Security profile 1: salted hash (auth.py); None accepts any connection.
    password_hash: str | None = None
    # The charger falls back to this by itself when HA stops refreshing limits.
    failsafe_current_a: float = 6.0
    connector_id: int = 1  # the connector (2.0.1: EVSE) that is balanced
    phases: int = 3  # conductors wired; used to convert A to W when not measured
    nominal_voltage_v: float = 230.0
    meter_interval_s: int = 10
    # The dynamic limit expires after this unless refreshed: if HA goes away the
    # charger returns to the failsafe current within this time.
    limit_validity_s: int = 120
    # Id tag for remote starts when the paused session's own tag is unknown.
    id_tag: str = "ev_load_balancer"

    def __post_init__(self) -> None:
        if not CHARGER_ID_PATTERN.fullmatch(self.charger_id):
            raise ValueError("charger id is not a valid OCPP identity")
        if self.phases not in (1, 2, 3) or self.connector_id < 1:
            raise ValueError("phases must be 1 to 3 and connector id at least 1")
        if self.failsafe_current_a < 0 or self.nominal_voltage_v <= 0:
            raise ValueError("failsafe current and voltage must be positive")
        if self.meter_interval_s < 1 or self.limit_validity_s < 60:
            raise ValueError("meter interval >= 1 s and limit validity >= 60 s")

    def as_dict(self) -> dict[str, str | int | float | None]:
        """A JSON-serialisable form (contains the password hash, not the password)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> ChargerConfig:
        """Restore from `as_dict`; unknown keys (newer versions) are ignored."""
        charger_id = data.get("charger_id")
        password_hash = data.get("password_hash")
        id_tag = data.get("id_tag", "ev_load_balancer")
        if not isinstance(charger_id, str) or not isinstance(id_tag, str):
            raise ValueError("charger_id and id_tag must be strings")
        if password_hash is not None and not isinstance(password_hash, str):
            raise ValueError("password_hash must be a string")
        return cls(
            charger_id=charger_id,
            password_hash=password_hash,
            failsafe_current_a=_number(data, "failsafe_current_a", 6.0),
            connector_id=int(_number(data, "connector_id", 1)),
            phases=int(_number(data, "phases", 3)),
            nominal_voltage_v=_number(data, "nominal_voltage_v", 230.0),
            meter_interval_s=int(_number(data, "meter_interval_s", 10)),
            limit_validity_s=int(_number(data, "limit_validity_s", 120)),
            id_tag=id_tag,
        )


def _number(data: Mapping[str, object], key: str, default: float) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{key} must be a number")
    return float(value)
