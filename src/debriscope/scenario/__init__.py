"""Scenarios: the TOML schema, shipped events, and the launch geometry that places the parents
in orbit at the event."""

from .launch import EventGeometry, event_geometry, event_time_tt_s, insertion_state, plane_from_launch
from .load import DEFAULT_SCENARIO, load, parse, scenario_hash, shipped_scenarios, to_toml
from .schema import Event, Impactor, Launch, ObjectSpec, Orbit, Scenario, StateVector

__all__ = [
    "DEFAULT_SCENARIO",
    "Event",
    "EventGeometry",
    "Impactor",
    "Launch",
    "ObjectSpec",
    "Orbit",
    "Scenario",
    "StateVector",
    "event_geometry",
    "event_time_tt_s",
    "insertion_state",
    "load",
    "parse",
    "plane_from_launch",
    "scenario_hash",
    "shipped_scenarios",
    "to_toml",
]
