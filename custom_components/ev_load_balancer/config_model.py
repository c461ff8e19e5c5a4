"""Typed views of a site's config entry and its charger subentries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigSubentry
from homeassistant.const import CONF_NAME

from .balancer import BalancerSettings, Rotation, Site, Strategy
from .circuit_model import CircuitConfig, balancer_circuits, charger_circuit
from .const import (
    CIRCUIT_SITE,
    CONF_CHARGER_REF,
    CONF_CIRCUIT,
    CONF_CONNECTION,
    CONF_CONTROL,
    CONF_CURRENT_ENTITY,
    CONF_CURRENT_SENSORS,
    CONF_FAILSAFE_MODE,
    CONF_FAILSAFE_RESERVE,
    CONF_FUSE,
    CONF_GROUP_REF,
    CONF_HOLD,
    CONF_MARGIN,
    CONF_MARGIN_FOLLOWS,
    CONF_MAX_CURRENT,
    CONF_MAX_SWITCHES,
    CONF_METER_ENTITIES,
    CONF_METER_TYPE,
    CONF_MIN_CHANGE_INTERVAL,
    CONF_MIN_CURRENT,
    CONF_MODBUS,
    CONF_PHASE_DWELL,
    CONF_PHASE_SWITCHING,
    CONF_PHASES,
    CONF_POWER_SENSOR,
    CONF_PRIORITY,
    CONF_PROFILE,
    CONF_ROTATION,
    CONF_SERVICE,
    CONF_SERVICE_DATA,
    CONF_SERVICE_FIELD,
    CONF_STALE_AFTER,
    CONF_STATUS_ENTITY,
    CONF_STRATEGY,
    CONF_SWITCH_ENTITY,
    CONF_VOLTAGE,
    CONF_VOLTAGE_ENTITIES,
    CONTROL_NUMBER,
    DEFAULT_FAILSAFE_MODE,
    DEFAULT_HOLD_S,
    DEFAULT_MARGIN,
    DEFAULT_MARGIN_FOLLOWS,
    DEFAULT_MAX_SWITCHES,
    DEFAULT_PHASE_DWELL_MIN,
    DEFAULT_PRIORITY,
    DEFAULT_ROTATION_MIN,
    DEFAULT_STALE_AFTER_S,
    DEFAULT_VOLTAGE,
    FAILSAFE_STATIC_SHARE,
    METER_TYPE_SENSORS,
    SUBENTRY_CHARGER,
    SUBENTRY_CIRCUIT,
)
from .loop import LoopCharger, LoopConfig
from .ocpp_const import CONTROL_OCPP, SUBENTRY_OCPP_CHARGER

# Subentry types that are chargers of the site.
CHARGER_SUBENTRY_TYPES = (SUBENTRY_CHARGER, SUBENTRY_OCPP_CHARGER)


def connection_wiring(connection: str) -> tuple[int, ...]:
    """Site phase per charger conductor for a connection key."""
    kind, _, phases = connection.partition("_phase_")
    if kind == "three":
        return Rotation(phases.upper()).wiring
    return (int(phases[1]) - 1,)


@dataclass(frozen=True, slots=True, kw_only=True)
class Tunables:
    """What the options flow changes; applied live, without a reload."""

    margin_a: float = DEFAULT_MARGIN
    margin_follows_spikes: bool = DEFAULT_MARGIN_FOLLOWS
    hold_s: float = DEFAULT_HOLD_S
    rotation_s: float = DEFAULT_ROTATION_MIN * 60.0
    max_switches_per_hour: int = DEFAULT_MAX_SWITCHES
    strategy: Strategy = Strategy.FAIR
    failsafe_static_share: bool = True
    failsafe_reserve_a: float = 0.0
    stale_after_s: float = DEFAULT_STALE_AFTER_S

    @classmethod
    def from_options(cls, options: Mapping[str, Any], fuse_a: float) -> Tunables:
        return cls(
            margin_a=float(options.get(CONF_MARGIN, DEFAULT_MARGIN)),
            margin_follows_spikes=bool(
                options.get(CONF_MARGIN_FOLLOWS, DEFAULT_MARGIN_FOLLOWS)
            ),
            hold_s=float(options.get(CONF_HOLD, DEFAULT_HOLD_S)),
            rotation_s=float(options.get(CONF_ROTATION, DEFAULT_ROTATION_MIN)) * 60.0,
            max_switches_per_hour=int(
                options.get(CONF_MAX_SWITCHES, DEFAULT_MAX_SWITCHES)
            ),
            strategy=Strategy(options.get(CONF_STRATEGY, Strategy.FAIR)),
            failsafe_static_share=options.get(CONF_FAILSAFE_MODE, DEFAULT_FAILSAFE_MODE)
            == FAILSAFE_STATIC_SHARE,
            # Without a meter the building is assumed to take half the fuse.
            failsafe_reserve_a=float(options.get(CONF_FAILSAFE_RESERVE, fuse_a / 2)),
            stale_after_s=float(options.get(CONF_STALE_AFTER, DEFAULT_STALE_AFTER_S)),
        )

    def balancer_settings(self, strategy: Strategy | None = None) -> BalancerSettings:
        return BalancerSettings(
            strategy=strategy or self.strategy,
            hold_s=self.hold_s,
            rotation_s=self.rotation_s,
            max_switches_per_hour=self.max_switches_per_hour,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargerConfig:
    """One charger subentry."""

    charger_id: str
    name: str
    wiring: tuple[int, ...]
    min_a: float
    max_a: float
    priority: int
    control: str
    current_entity: str | None = None
    service: str | None = None
    service_field: str = "current"
    service_data: Mapping[str, Any] = field(default_factory=dict)
    current_sensors: tuple[str, ...] = ()
    power_sensor: str | None = None
    status_entity: str | None = None
    switch_entity: str | None = None
    min_change_interval_s: float = 0.0
    # Driven through a profile (control "profile"): see chargers/profiles/.
    profile: str | None = None
    charger_ref: str | None = None
    group_ref: str | None = None
    phase_switching: bool = False
    phase_dwell_s: float = DEFAULT_PHASE_DWELL_MIN * 60.0
    # The circuit it hangs on (a circuit subentry's id); None: the main fuse.
    circuit_id: str | None = None

    def loop_charger(self, circuit_id: str | None = None) -> LoopCharger:
        """What the control loop needs of this charger, on `circuit_id`."""
        return LoopCharger(
            charger_id=self.charger_id,
            name=self.name,
            wiring=self.wiring,
            min_a=self.min_a,
            max_a=self.max_a,
            priority=self.priority,
            increase_interval_s=self.min_change_interval_s,
            circuit_id=circuit_id,
        )

    @classmethod
    def from_subentry(cls, subentry: ConfigSubentry) -> ChargerConfig:
        data = subentry.data
        group_ref = data.get(CONF_GROUP_REF)
        circuit = data.get(CONF_CIRCUIT) or CIRCUIT_SITE
        return cls(
            charger_id=subentry.subentry_id,
            name=subentry.title,
            wiring=connection_wiring(data[CONF_CONNECTION]),
            min_a=float(data[CONF_MIN_CURRENT]),
            max_a=float(data[CONF_MAX_CURRENT]),
            priority=int(data.get(CONF_PRIORITY, DEFAULT_PRIORITY)),
            control=CONTROL_OCPP
            if subentry.subentry_type == SUBENTRY_OCPP_CHARGER
            else data.get(CONF_CONTROL, CONTROL_NUMBER),
            current_entity=data.get(CONF_CURRENT_ENTITY),
            service=data.get(CONF_SERVICE),
            service_field=data.get(CONF_SERVICE_FIELD) or "current",
            service_data=dict(data.get(CONF_SERVICE_DATA) or {}),
            current_sensors=tuple(s for s in data.get(CONF_CURRENT_SENSORS, ()) if s),
            power_sensor=data.get(CONF_POWER_SENSOR) or None,
            status_entity=data.get(CONF_STATUS_ENTITY) or None,
            switch_entity=data.get(CONF_SWITCH_ENTITY) or None,
            min_change_interval_s=float(data.get(CONF_MIN_CHANGE_INTERVAL, 0)),
            profile=data.get(CONF_PROFILE),
            charger_ref=data.get(CONF_CHARGER_REF),
            group_ref=None if group_ref is None else str(group_ref),
            phase_switching=bool(data.get(CONF_PHASE_SWITCHING, False)),
            phase_dwell_s=float(data.get(CONF_PHASE_DWELL, DEFAULT_PHASE_DWELL_MIN))
            * 60.0,
            circuit_id=None if circuit == CIRCUIT_SITE else str(circuit),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteConfig:
    """The site: its fuse, its meter, its tunables and its chargers."""

    name: str
    phases: int
    fuse_a: float
    voltage_v: float
    meter_type: str
    meter_entities: tuple[str, ...]
    voltage_entities: tuple[str, ...]
    tunables: Tunables
    chargers: tuple[ChargerConfig, ...]
    modbus: Mapping[str, Any] = field(default_factory=dict)  # see modbus_entry.py
    # Fuses below the main fuse (circuit subentries).
    circuits: tuple[CircuitConfig, ...] = ()

    @classmethod
    def from_entry(cls, entry: ConfigEntry) -> SiteConfig:
        data = entry.data
        fuse_a = float(data[CONF_FUSE])
        return cls(
            name=data.get(CONF_NAME, entry.title),
            phases=int(data[CONF_PHASES]),
            fuse_a=fuse_a,
            voltage_v=float(data.get(CONF_VOLTAGE, DEFAULT_VOLTAGE)),
            meter_type=data.get(CONF_METER_TYPE, METER_TYPE_SENSORS),
            meter_entities=tuple(data.get(CONF_METER_ENTITIES, ())),
            voltage_entities=tuple(v for v in data.get(CONF_VOLTAGE_ENTITIES, ()) if v),
            tunables=Tunables.from_options(entry.options, fuse_a),
            chargers=tuple(
                ChargerConfig.from_subentry(subentry)
                for subentry in entry.subentries.values()
                if subentry.subentry_type in CHARGER_SUBENTRY_TYPES
            ),
            modbus=dict(data.get(CONF_MODBUS) or {}),
            circuits=tuple(
                CircuitConfig.from_subentry(subentry)
                for subentry in entry.subentries.values()
                if subentry.subentry_type == SUBENTRY_CIRCUIT
            ),
        )

    def loop_config(self) -> LoopConfig:
        """What the control loop needs of this site."""
        tunables = self.tunables
        circuits = balancer_circuits(
            self.circuits,
            self.phases,
            static_share=tunables.failsafe_static_share,
            stale_after_s=tunables.stale_after_s,
        )
        configs = {circuit.circuit_id: circuit for circuit in self.circuits}
        return LoopConfig(
            name=self.name,
            phases=self.phases,
            fuse_a=self.fuse_a,
            margin_a=tunables.margin_a,
            margin_follows_spikes=tunables.margin_follows_spikes,
            voltage_v=self.voltage_v,
            balancer=tunables.balancer_settings(),
            failsafe_static_share=tunables.failsafe_static_share,
            failsafe_reserve_a=tunables.failsafe_reserve_a,
            stale_after_s=tunables.stale_after_s,
            chargers=tuple(
                charger.loop_charger(
                    charger_circuit(
                        charger.circuit_id, charger.wiring, circuits, configs
                    )
                )
                for charger in self.chargers
            ),
            circuits=tuple(circuit for circuit, _ in circuits.values()),
        )

    def chargers_on_missing_circuits(self) -> list[str]:
        """Names of the chargers whose circuit is no longer configured."""
        known = {circuit.circuit_id for circuit in self.circuits}
        return [
            charger.name
            for charger in self.chargers
            if charger.circuit_id is not None and charger.circuit_id not in known
        ]

    def site(self, cap_a: float | None = None) -> Site:
        return self.loop_config().site(cap_a)
