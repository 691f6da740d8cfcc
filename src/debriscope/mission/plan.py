"""The intended mission of a scenario's ``[mission]`` table: departure, transfer, planned flyby, the
launch window, and the other launches of the window beside it (patched conics; see docs/mission.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..constants import (
    AU_M,
    G0_MPS2,
    GM_MARS_M3_S2,
    GM_VENUS_M3_S2,
    R_MARS_M,
    R_VENUS_M,
)
from ..elements import apsis_altitudes_m, rv_to_elements
from ..errors import ScenarioError
from ..scenario import Scenario
from ..scenario.burn import finite_burn
from ..scenario.launch import ignition_state, insertion_state, j2_coast
from ..scenario.mission_options import OtherLaunch
from ..timescale import utc_to_tt_s
from .arrival import Flyby, flyby
from .departure import Departure, asymptote, departure
from .ephemeris import geocentric_distance_m, heliocentric_state
from .injection import InjectionPoint, ideal_injection
from .porkchop import Porkchop, porkchop
from .transfer import Transfer, kepler_state, solve_transfer

TARGET_BODY = {"mars": (GM_MARS_M3_S2, R_MARS_M), "venus": (GM_VENUS_M3_S2, R_VENUS_M)}
"""GM (m^3/s^2) and radius (m) of each target (constants module, with sources)."""


@dataclass(frozen=True)
class OtherMission:
    """Another launch of the window: its transfer (if it left), distances from Earth (m) at its last
    contact and at its arrival (NaN where not applicable)."""

    name: str
    launch_utc: str
    departure_utc: str
    c3_km2_s2: float
    dla_deg: float
    transfer: Transfer | None
    distance_last_contact_m: float
    distance_at_arrival_m: float
    target_sun_distance_at_arrival_au: float
    last_contact_utc: str | None
    arrival_utc: str | None


@dataclass(frozen=True)
class PartialBurn:
    """The burn of ``[event.burn]`` up to the event: speed gained (m/s), mass left (kg), and the orbit
    it leaves (altitudes above the SATCAT equatorial radius, km). ``planned_share`` is its fraction of
    the impulsive injection delta-v."""

    duration_s: float
    planned_duration_s: float | None
    delta_v_mps: float
    mass_after_kg: float
    perigee_km: float
    apogee_km: float
    planned_share: float


@dataclass(frozen=True)
class MissionPlan:
    """Everything ``debriscope mission`` prints and the report draws."""

    target: str
    departure_from: str
    t_dep_tt_s: float
    t_arr_tt_s: float
    transfer: Transfer
    departure: Departure
    flyby: Flyby
    flyby_altitude_km: float
    window: Porkchop
    others: tuple[OtherMission, ...]
    partial_burn: PartialBurn | None
    injection_point: InjectionPoint


def _parking_state(scenario: Scenario) -> tuple[float, np.ndarray, str]:
    """Departure epoch (TT s), parking-orbit state there (TEME), and what fixed the epoch."""
    m = scenario.mission
    if m.departure_utc is None:
        ign = ignition_state(scenario)
        return ign.t_tt_s, ign.state_teme, "ignition of the interrupted burn ([event.burn])"
    t_dep = float(utc_to_tt_s(m.departure_utc))
    start = insertion_state(scenario)
    if t_dep < start.t_tt_s:
        raise ScenarioError("mission.departure_utc", m.departure_utc, "must follow the parking-orbit insertion")
    return t_dep, j2_coast(start.state_teme.reshape(6, 1), start.t_tt_s, t_dep)[:, 0], "mission.departure_utc"


def _other(target: str, spec: OtherLaunch, window: Porkchop) -> OtherMission:
    """Another launch; without an arrival, C3 and DLA are those of the lowest-C3 Type-I arrival of the window
    (the type of all three 1962 Mars transfers)."""
    t_dep = float(utc_to_tt_s(spec.departure_utc))
    transfer = None
    d_contact = d_arrival = sun_arr = float("nan")
    if spec.arrival_utc is None:
        row = porkchop(target, np.array([t_dep]), window.t_arr_tt_s)
        best = solve_transfer(target, t_dep, row.minimum(1)[1])
        c3, _, dla = asymptote(best.v_inf_dep_icrf_mps)
    else:
        t_arr = float(utc_to_tt_s(spec.arrival_utc))
        transfer = solve_transfer(target, t_dep, t_arr)
        c3, _, dla = asymptote(transfer.v_inf_dep_icrf_mps)
        r_target, _ = heliocentric_state(target, t_arr)
        d_arrival = float(geocentric_distance_m(r_target, t_arr)[0])
        sun_arr = float(np.linalg.norm(r_target)) / AU_M
        if spec.last_contact_utc is not None:
            t_lc = float(utc_to_tt_s(spec.last_contact_utc))
            r_lc = kepler_state(transfer.r_dep_icrf_m, transfer.v_dep_icrf_mps, t_lc - t_dep)
            d_contact = float(geocentric_distance_m(r_lc, t_lc)[0])
    return OtherMission(spec.name, spec.launch_utc, spec.departure_utc, c3, dla, transfer, d_contact, d_arrival,
                        sun_arr, spec.last_contact_utc, spec.arrival_utc)


def mission_plan(scenario: Scenario) -> MissionPlan:
    """The plan of ``scenario.mission`` (raises :class:`ScenarioError` if the scenario has none)."""
    m = scenario.mission
    if m is None:
        raise ScenarioError("mission", None, "the scenario has no [mission] table")
    t_dep, state, departure_from = _parking_state(scenario)
    t_arr = float(utc_to_tt_s(m.arrival_utc))
    if t_arr <= t_dep:
        raise ScenarioError("mission.arrival_utc", m.arrival_utc, "must follow the departure")
    transfer = solve_transfer(m.target, t_dep, t_arr)
    dep = departure(transfer.v_inf_dep_icrf_mps, state, t_dep)
    mu, radius = TARGET_BODY[m.target]
    fly = flyby(transfer.v_inf_arr_icrf_mps, mu, radius + m.flyby_altitude_km * 1e3, m.b_plane_angle_deg)
    grid_dep = np.linspace(*(float(utc_to_tt_s(x)) for x in m.window_departure_utc), m.window_steps)
    grid_arr = np.linspace(*(float(utc_to_tt_s(x)) for x in m.window_arrival_utc), m.window_steps)
    window = porkchop(m.target, grid_dep, grid_arr)
    others = tuple(_other(m.target, spec, window) for spec in m.other_launches)
    point = ideal_injection(transfer.v_inf_dep_icrf_mps, state, t_dep, scenario.event.burn)
    return MissionPlan(m.target, departure_from, t_dep, t_arr, transfer, dep, fly, m.flyby_altitude_km, window,
                       others, _partial_burn(scenario, dep), point)


def _partial_burn(scenario: Scenario, dep: Departure) -> PartialBurn | None:
    burn = scenario.event.burn
    if burn is None:
        return None
    ign = ignition_state(scenario)
    state, mass = finite_burn(ign.state_teme, burn.ignition_before_event_s, burn.thrust_n, burn.isp_s,
                              burn.mass_at_ignition_kg)
    el = rv_to_elements(state[:3], state[3:])
    apogee_m, perigee_m = apsis_altitudes_m(el.a_m[0], el.e[0])
    dv = burn.isp_s * G0_MPS2 * np.log(burn.mass_at_ignition_kg / mass)  # Tsiolkovsky
    return PartialBurn(burn.ignition_before_event_s, burn.planned_duration_s, float(dv), mass, float(perigee_m) / 1e3,
                       float(apogee_m) / 1e3, float(dv / dep.delta_v_mps))


