"""The scenario stage: place the parents in orbit at the event; resolve the run's force models.

Writes ``event.json`` (:func:`event_record`), ``models.json`` (the truth's and the orbit
estimator's force models, resolved here once: :mod:`debriscope.scenario.models`) and
``groundtrack.csv`` (the parent's track on the parking orbit: :mod:`debriscope.scenario.groundtrack`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from ..runfolder import EVENT_FILE, GROUNDTRACK_FILE, MODELS_FILE, RunContext, write_json
from ..tables import write_csv
from ..timescale import tt_s_to_utc_iso
from .groundtrack import parking_orbit_track
from .launch import Coast, event_geometry, insertion_state, j2_coast, launch_time_tt_s, plane_from_launch
from .models import models_record
from .schema import Scenario


def burn_event_states(scenario: Scenario, state_teme: np.ndarray, coast: Coast = j2_coast) -> dict[str, Any]:
    """The event state (TEME, SI) on the coasting parking orbit and at the end of the partial burn.

    ``state_teme`` is the scenario's own event state (the one ``event.burn.applied`` chose); the other
    is computed with ``applied`` flipped, so that a later stage can compare the two clouds. Empty
    where the orbit comes from an element set (SGP4 carries it to the event; the burn is not modelled).
    """
    if scenario.orbit.tle is not None or scenario.orbit.omm is not None:
        return {}
    burn = scenario.event.burn
    flipped = replace(scenario, event=replace(scenario.event, burn=replace(burn, applied=not burn.applied)))
    other = event_geometry(flipped, coast).state_teme
    burnt, coasting = (state_teme, other) if burn.applied else (other, state_teme)
    return {
        "parking_orbit_state": {"r_teme_m": [float(x) for x in coasting[:3]],
                                "v_teme_mps": [float(x) for x in coasting[3:]]},
        "burn_end_state": {"r_teme_m": [float(x) for x in burnt[:3]], "v_teme_mps": [float(x) for x in burnt[3:]]},
    }


def event_record(scenario: Scenario, coast: Coast = j2_coast) -> dict[str, Any]:
    """The content of ``event.json``: launch, insertion and event epochs, parent states (TEME)."""
    start = insertion_state(scenario)
    geometry = event_geometry(scenario, coast)
    state = [float(x) for x in geometry.state_teme]
    record: dict[str, Any] = {"frame": "TEME", "time_scale_internal": "TT seconds since J2000"}
    t_launch = launch_time_tt_s(scenario)
    if t_launch is not None:
        launch = scenario.launch
        plane = plane_from_launch(scenario)
        record["launch"] = {
            "time_utc": tt_s_to_utc_iso(t_launch),
            "t_tt_s": t_launch,
            "site": {
                "name": launch.site_name,
                "latitude_deg": launch.latitude_deg,
                "longitude_deg": launch.longitude_deg,
                "altitude_m": launch.altitude_m,
            },
            "vehicle": launch.vehicle,
            "inertial_azimuth_deg": float(np.degrees(plane.azimuth_rad)),
            "inclination_deg": float(np.degrees(plane.inclination_rad)),
            "raan_teme_deg": float(np.degrees(plane.raan_rad)),
        }
    record["insertion"] = {
        "time_utc": tt_s_to_utc_iso(start.t_tt_s),
        "t_tt_s": start.t_tt_s,
        "r_teme_m": [float(x) for x in start.state_teme[:3]],
        "v_teme_mps": [float(x) for x in start.state_teme[3:]],
    }
    record["event"] = {
        "time_utc": tt_s_to_utc_iso(geometry.t_tt_s),
        "t_tt_s": geometry.t_tt_s,
        "kind": scenario.event.kind,
        "subsatellite_lat_deg": geometry.subsatellite_lat_deg,
        "subsatellite_lon_deg": geometry.subsatellite_lon_deg,
        "altitude_km": geometry.altitude_km,
    }
    burn = scenario.event.burn
    if burn is not None:
        record["event"]["burn"] = {
            "ignition_utc": tt_s_to_utc_iso(geometry.t_tt_s - burn.ignition_before_event_s),
            "duration_before_event_s": burn.ignition_before_event_s,
            "applied": burn.applied,
            **burn_event_states(scenario, geometry.state_teme, coast),
        }
    record["parents"] = [
        {
            "name": obj.name,
            "object_class": obj.object_class,
            "mass_kg": obj.mass_kg,
            "area_m2": obj.area_m2,
            "r_teme_m": state[:3],
            "v_teme_mps": state[3:],
        }
        for obj in scenario.objects
        if obj.fragments
    ]
    record["intact"] = [
        {"name": obj.name, "object_class": obj.object_class, "mass_kg": obj.mass_kg}
        for obj in scenario.objects
        if not obj.fragments
    ]
    impactor = scenario.event.impactor
    record["impactor"] = None
    if impactor is not None:
        record["impactor"] = {
            "name": impactor.name,
            "object_class": impactor.object_class,
            "mass_kg": impactor.mass_kg,
            "relative_speed_mps": impactor.relative_speed_mps,
            "direction": impactor.direction,
        }
    return record


def run_stage(ctx: RunContext) -> dict[str, Any]:
    """Write ``event.json``, ``models.json`` and ``groundtrack.csv``; return the scenario section of the summary."""
    record = event_record(ctx.scenario)
    write_json(ctx.path(EVENT_FILE), record)
    write_json(ctx.path(MODELS_FILE), models_record(ctx.scenario))
    write_csv(ctx.path(GROUNDTRACK_FILE), parking_orbit_track(record))
    event = record["event"]
    summary = {
        "name": ctx.scenario.name,
        "seed": ctx.scenario.seed,
        "event_utc": event["time_utc"],
        "event_kind": event["kind"],
        "event_subsatellite_lat_deg": round(event["subsatellite_lat_deg"], 4),
        "event_subsatellite_lon_deg": round(event["subsatellite_lon_deg"], 4),
        "event_altitude_km": round(event["altitude_km"], 3),
        "parents": [p["name"] for p in record["parents"]],
        "parents_mass_kg": sum(p["mass_kg"] for p in record["parents"]),
    }
    if "launch" in record:
        summary["launch_utc"] = record["launch"]["time_utc"]
        summary["insertion_utc"] = record["insertion"]["time_utc"]
    return summary
