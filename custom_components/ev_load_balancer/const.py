"""Constants: the domain, configuration keys and their defaults."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

DOMAIN: Final = "ev_load_balancer"

# Site (config entry data)
CONF_PHASES: Final = "phases"
CONF_FUSE: Final = "fuse_current"
CONF_VOLTAGE: Final = "nominal_voltage"
CONF_METER_TYPE: Final = "meter_type"
CONF_METER_ENTITIES: Final = "meter_entities"  # one per site phase
CONF_VOLTAGE_ENTITIES: Final = "voltage_entities"
CONF_MODBUS: Final = "modbus"  # a Modbus meter's settings (modbus_entry.py)

METER_TYPE_SENSORS: Final = "sensors"
METER_TYPE_MODBUS: Final = "modbus"

# Site tunables (config entry options)
CONF_MARGIN: Final = "safety_margin"
CONF_MARGIN_FOLLOWS: Final = "margin_follows_spikes"
CONF_HOLD: Final = "hold_time"
CONF_ROTATION: Final = "rotation_period"
CONF_MAX_SWITCHES: Final = "max_switches_per_hour"
CONF_STRATEGY: Final = "strategy"
CONF_FAILSAFE_MODE: Final = "failsafe_mode"
CONF_FAILSAFE_RESERVE: Final = "failsafe_reserve"
CONF_STALE_AFTER: Final = "stale_after"

FAILSAFE_PAUSE: Final = "pause"
FAILSAFE_STATIC_SHARE: Final = "static_share"

DEFAULT_VOLTAGE: Final = 230.0
DEFAULT_MARGIN: Final = 2.0
DEFAULT_HOLD_S: Final = 30
DEFAULT_ROTATION_MIN: Final = 15
# Pauses and resumes of one EV per hour (contactor wear, some EVs stop waking).
DEFAULT_MAX_SWITCHES: Final = 10
DEFAULT_MARGIN_FOLLOWS: Final = False
DEFAULT_STALE_AFTER_S: Final = 30
DEFAULT_FAILSAFE_MODE: Final = FAILSAFE_STATIC_SHARE

# Charger (config subentry data)
SUBENTRY_CHARGER: Final = "charger"
CONF_CONNECTION: Final = "connection"
CONF_MIN_CURRENT: Final = "min_current"
CONF_MAX_CURRENT: Final = "max_current"
CONF_PRIORITY: Final = "priority"
CONF_CONTROL: Final = "control"
CONF_CURRENT_ENTITY: Final = "current_entity"
CONF_SERVICE: Final = "service"
CONF_SERVICE_FIELD: Final = "service_current_field"
CONF_SERVICE_DATA: Final = "service_data"
CONF_CURRENT_SENSORS: Final = "current_sensors"  # per charger conductor
CONF_POWER_SENSOR: Final = "power_sensor"
CONF_STATUS_ENTITY: Final = "status_entity"
CONF_SWITCH_ENTITY: Final = "switch_entity"
CONF_MIN_CHANGE_INTERVAL: Final = "min_change_interval"
# A charger driven through a profile (chargers/profiles/): which one, the
# charger's id in its integration, and its group (installation, circuit).
CONF_PROFILE: Final = "profile"
CONF_CHARGER_REF: Final = "charger_ref"
CONF_GROUP_REF: Final = "group_ref"
CONF_PHASE_SWITCHING: Final = "phase_switching"
CONF_PHASE_DWELL: Final = "phase_dwell"  # minutes

CONTROL_NUMBER: Final = "number"
CONTROL_SERVICE: Final = "service"
CONTROL_PROFILE: Final = "profile"
DEFAULT_PHASE_DWELL_MIN: Final = 5

# Circuit (config subentry data): a fuse below the main fuse.
SUBENTRY_CIRCUIT: Final = "circuit"
CONF_PARENT: Final = "parent"  # a circuit's subentry id, or CIRCUIT_SITE
CONF_CIRCUIT_PHASES: Final = "circuit_phases"  # site phases it carries: l1..l3
CONF_RATING: Final = "rating"
CONF_RESERVE: Final = "reserve"  # non-EV load assumed without a trusted meter
# On a charger: the circuit it hangs on (a subentry id, or CIRCUIT_SITE).
CONF_CIRCUIT: Final = "circuit"
CIRCUIT_SITE: Final = "site"
PHASE_KEYS: Final = ("l1", "l2", "l3")

# How a charger's conductors L1/L2/L3 meet the site's phases.
CONNECTIONS: Final = (
    "three_phase_l1l2l3",
    "three_phase_l2l3l1",
    "three_phase_l3l1l2",
    "single_phase_l1",
    "single_phase_l2",
    "single_phase_l3",
)

PRIORITY_MIN: Final = 1
PRIORITY_MAX: Final = 10
DEFAULT_PRIORITY: Final = 5
# A boosted EV outranks every priority an automation can set.
BOOST_PRIORITY: Final = 1000

# The loop: every meter change recomputes (at most this often), plus a tick
# that notices silent meters.
MIN_ROUND_INTERVAL_S: Final = 0.2
TICK_INTERVAL: Final = timedelta(seconds=2)
COMMAND_TIMEOUT_S: Final = 10.0
# A charger is reported only after failing this long (HA may still be starting).
UNRESPONSIVE_AFTER_S: Final = 60.0
# A charger drawing this much above its limit, for this long, ignores it.
IGNORE_TOLERANCE_A: Final = 2.0
IGNORE_GRACE_S: Final = 60.0

# Services
SERVICE_SET_PRIORITY: Final = "set_priority"
SERVICE_BOOST: Final = "boost"
SERVICE_SET_SITE_LIMIT: Final = "set_site_limit"
SERVICE_CLEAR_SITE_LIMIT: Final = "clear_site_limit"
SERVICE_SET_DEPARTURE: Final = "set_departure"
SERVICE_SET_PEAK_TARGET: Final = "set_peak_target"
SERVICE_CLEAR_PEAK_TARGET: Final = "clear_peak_target"
ATTR_CHARGER: Final = "charger"
ATTR_SITE: Final = "site"
ATTR_CURRENT: Final = "current"
ATTR_DURATION: Final = "duration"
ATTR_DEPARTURE: Final = "departure"
ATTR_ENERGY: Final = "energy"
ATTR_TARGET: Final = "target"

# Events for automations
EVENT_CHARGER_PAUSED: Final = f"{DOMAIN}_charger_paused"
EVENT_CHARGER_RESUMED: Final = f"{DOMAIN}_charger_resumed"
EVENT_OVERLOAD_STARTED: Final = f"{DOMAIN}_overload_started"
EVENT_OVERLOAD_ENDED: Final = f"{DOMAIN}_overload_ended"
EVENT_FAILSAFE_STARTED: Final = f"{DOMAIN}_failsafe_started"
EVENT_FAILSAFE_ENDED: Final = f"{DOMAIN}_failsafe_ended"
EVENT_DEPARTURE_PASSED: Final = f"{DOMAIN}_departure_passed"
# The month's billed peak (capacity tariff) rose when a window closed.
EVENT_NEW_MONTHLY_PEAK: Final = f"{DOMAIN}_new_monthly_peak"
