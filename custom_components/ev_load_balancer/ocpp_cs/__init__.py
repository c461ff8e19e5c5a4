"""OCPP central system (1.6J and 2.0.1): chargers connect, get adopted, obey limits.

Pure protocol code: no Home Assistant import. The `ocpp` library is used only
through wire.py. The HA layer creates one CentralSystem, restores adopted
chargers and sessions, and hands each OcppChargerBackend to the coordinator.
"""

from .auth import generate_password, hash_password
from .backend import IdTagPolicy, OcppChargerBackend
from .config import ChargerConfig, ServerConfig
from .const import OcppVersion
from .info import ChargerInfo
from .limit_control import LimitFailure
from .pending import PendingCharger
from .server import CentralSystem
from .sessions import SessionLog, SessionRecord
from .state import BootInfo
from .tls import server_ssl_context

__all__ = [
    "BootInfo",
    "CentralSystem",
    "ChargerConfig",
    "ChargerInfo",
    "IdTagPolicy",
    "LimitFailure",
    "OcppChargerBackend",
    "OcppVersion",
    "PendingCharger",
    "ServerConfig",
    "SessionLog",
    "SessionRecord",
    "generate_password",
    "hash_password",
    "server_ssl_context",
]
