"""The plan as text rows and as JSON-able data, beside the published figures of :mod:`.record`.

Rows are ``(quantity, value, note)`` with the unit in the quantity; sections group them. Published
figures that contradict each other or the computation are flagged in the note.
"""

from __future__ import annotations

import math
from typing import Any

from ..constants import AU_M
from ..timescale import tt_s_to_utc_iso
from . import record
from .plan import MissionPlan, OtherMission

Row = tuple[str, str, str]


def _utc(t_tt_s: float) -> str:
    return str(tt_s_to_utc_iso(t_tt_s, decimals=0))


def _departure_rows(plan: MissionPlan) -> list[Row]:
    d = plan.departure
    reach = "yes" if d.reachable else "NO: the asymptote's declination exceeds what the plane's inclination allows"
    rows = [
        ("departure (UTC)", _utc(plan.t_dep_tt_s), plan.departure_from),
        ("C3, km^2/s^2", f"{d.c3_km2_s2:.2f}", "departure energy, v_inf^2"),
        ("v_inf at departure, km/s", f"{d.v_inf_mps / 1e3:.3f}", ""),
        ("asymptote right ascension RLA, deg", f"{d.rla_deg:.1f}", "Earth equator and equinox of J2000"),
        ("asymptote declination DLA, deg", f"{d.dla_deg:+.1f}", ""),
        ("parking-orbit inclination at ignition, deg", f"{d.inclination_deg:.2f}", "to the J2000 equator"),
        ("asymptote reachable from a plane of this inclination", reach, "|DLA| <= min(i, 180 - i)"),
        ("asymptote out of the actual plane, deg", f"{d.out_of_plane_deg:+.2f}",
         "0 for an injection without a plane change"),
        ("asymptote ahead of the ignition point, in plane, deg", f"{d.asymptote_ahead_of_ignition_deg:.1f}",
         f"ideal for a perigee burn there: {d.ideal_asymptote_ahead_deg:.1f}"),
        ("ignition altitude (above 6378.135 km), km", f"{d.ignition_radius_m / 1e3 - 6378.135:.1f}", ""),
        ("impulsive injection delta-v, km/s", f"{d.delta_v_mps / 1e3:.3f}",
         f"tangential, {d.parking_speed_mps / 1e3:.3f} -> {d.perigee_speed_mps / 1e3:.3f} km/s; finite-burn "
         "losses not modelled"),
    ]
    b = plan.partial_burn
    if b is not None:
        rows += [
            ("burn before the breakup, s", f"{b.duration_s:.1f}",
             "[event.burn]" if b.planned_duration_s is None else
             f"[event.burn]; {100 * b.duration_s / b.planned_duration_s:.1f} % of the planned {b.planned_duration_s:.0f} s"),
            ("speed gained before the breakup, km/s", f"{b.delta_v_mps / 1e3:.3f}",
             f"{100 * b.planned_share:.1f} % of the injection delta-v"),
            ("orbit left by the partial burn, perigee x apogee, km", f"{b.perigee_km:.0f} x {b.apogee_km:.0f}",
             f"record: {record.NO1_DEBRIS_ORBIT.value} ({record.NO1_DEBRIS_ORBIT.source})"),
        ]
    p = plan.injection_point
    rows += [
        ("ideal injection point towards the asymptote (UTC)", _utc(p.t_tt_s),
         f"{p.after_departure_s / 60:+.1f} min from the departure; {p.altitude_km:.0f} km altitude, "
         f"true anomaly {p.true_anomaly_deg:.0f} deg on the parking orbit (Curtis eq. 8.43)"),
    ]
    if not math.isnan(p.burn_perigee_km) and b is not None:
        rows.append(("the same partial burn centred on that point, perigee x apogee, km",
                     f"{p.burn_perigee_km:.0f} x {p.burn_apogee_km:.0f}",
                     f"ignition {_utc(p.burn_ignition_tt_s)}, half the planned burn before the point (estimate); "
                     f"record: {record.NO1_DEBRIS_ORBIT.value}"))
    return rows


def _transfer_rows(plan: MissionPlan) -> list[Row]:
    o = plan.transfer.orbit
    f = plan.flyby
    return [
        ("planned arrival (UTC)", _utc(plan.t_arr_tt_s),
         f"record: {record.NO1_PLANNED_FLYBY_DATE.value} ({record.NO1_PLANNED_FLYBY_DATE.source})"),
        ("time of flight, days", f"{plan.transfer.time_of_flight_days:.1f}", ""),
        ("transfer orbit perihelion x aphelion, AU", f"{o.perihelion_au:.3f} x {o.aphelion_au:.3f}",
         "J2000 ecliptic"),
        ("transfer orbit eccentricity, inclination (deg), period (d)",
         f"{o.eccentricity:.3f}, {o.inclination_deg:.2f}, {o.period_days:.0f}", ""),
        ("v_inf at arrival, km/s", f"{f.v_inf_mps / 1e3:.3f}", "a plan, not a fact"),
        ("aim point: closest-approach altitude, km", f"{plan.flyby_altitude_km:.0f}",
         f"record: ~{record.NO1_PLANNED_FLYBY_ALTITUDE_KM.value:.0f} ({record.NO1_PLANNED_FLYBY_ALTITUDE_KM.caveat})"),
        ("B-plane |B|, B.T, B.R, km", f"{f.b_magnitude_m / 1e3:.0f}, {f.b_dot_t_m / 1e3:.0f}, {f.b_dot_r_m / 1e3:.0f}",
         "T in the J2000 ecliptic"),
        ("turn angle, deg", f"{f.turn_angle_deg:.1f}", ""),
        ("speed at closest approach, km/s", f"{f.periapsis_speed_mps / 1e3:.3f}", ""),
    ]


def _window_rows(plan: MissionPlan) -> list[Row]:
    rows = []
    for kind, name in ((1, "Type I (transfer angle < 180 deg)"), (2, "Type II (> 180 deg)")):
        t_dep, t_arr, c3 = plan.window.minimum(kind)
        rows.append((f"lowest C3 of the window grid, {name}, km^2/s^2", f"{c3:.2f}",
                     f"{_utc(t_dep)} -> {_utc(t_arr)}"))
    return rows


def _pct(model: float, published: float) -> str:
    return f"{100 * (model - published) / published:+.1f} %"


def _other_rows(other: OtherMission) -> list[Row]:
    rows: list[Row] = [(f"{other.name}: launch (UTC)", other.launch_utc, ""),
                       (f"{other.name}: departure (UTC)", other.departure_utc, "")]
    if other.transfer is None:
        rows.append((f"{other.name}: C3 of the best Type-I arrival from that departure, km^2/s^2",
                     f"{other.c3_km2_s2:.2f}", f"DLA {other.dla_deg:+.1f} deg; no arrival in the scenario (it never left, or its arrival is unknown)"))
        return rows
    o = other.transfer.orbit
    rows += [
        (f"{other.name}: arrival (UTC)", str(other.arrival_utc), ""),
        (f"{other.name}: C3, km^2/s^2", f"{other.c3_km2_s2:.2f}", f"DLA {other.dla_deg:+.1f} deg"),
        (f"{other.name}: orbit perihelion x aphelion, AU (million km)",
         f"{o.perihelion_au:.3f} x {o.aphelion_au:.3f} ({o.perihelion_au * AU_M / 1e9:.0f} x "
         f"{o.aphelion_au * AU_M / 1e9:.0f})",
         f"published: {record.MARS1_ORBIT_148_250.value} ({record.MARS1_ORBIT_148_250.source}, "
         f"{record.MARS1_ORBIT_148_250.caveat})"),
        (f"{other.name}: inclination (deg), period (d)", f"{o.inclination_deg:.2f}, {o.period_days:.0f}",
         f"published (NSSDC-derived): {record.MARS1_ORBIT_NSSDC.value}"),
    ]
    if other.target_sun_distance_at_arrival_au > record.MARS1_NSSDC_APHELION_AU:
        rows.append((f"{other.name}: the NSSDC-derived orbit", "contradicted",
                     f"Mars was {other.target_sun_distance_at_arrival_au:.3f} AU from the Sun at the flyby, beyond "
                     f"that orbit's {record.MARS1_NSSDC_APHELION_AU} AU aphelion"))
    if not math.isnan(other.distance_last_contact_m):
        pub = record.MARS1_LAST_CONTACT_DISTANCE_KM
        rows.append((f"{other.name}: distance from Earth at last contact, million km",
                     f"{other.distance_last_contact_m / 1e9:.1f}",
                     f"{other.last_contact_utc}; published {pub.value / 1e6:.0f} ({pub.source}): "
                     f"{_pct(other.distance_last_contact_m / 1e3, pub.value)}"))
    flyby = " / ".join(f"{p.value:.0f} km ({p.source})" for p in record.MARS1_FLYBY_DISTANCE_KM)
    rows += [
        (f"{other.name}: distance from Earth at the flyby, million km", f"{other.distance_at_arrival_m / 1e9:.1f}",
         "Earth-Mars distance at the arrival"),
        (f"{other.name}: flyby distance from Mars", "not computed",
         f"the arc ends at Mars's centre; the published figures disagree: {flyby}"),
    ]
    return rows


def plan_sections(plan: MissionPlan) -> list[tuple[str, list[Row]]]:
    """The plan's figures in titled sections."""
    sections = [
        ("Departure from the parking orbit", _departure_rows(plan)),
        ("Transfer and planned arrival", _transfer_rows(plan)),
        ("Launch window", _window_rows(plan)),
    ]
    sections += [(f"{o.name} beside it", _other_rows(o)) for o in plan.others]
    return sections


def plan_json(plan: MissionPlan) -> dict[str, Any]:
    """Key figures as JSON-able data (SI, or the unit in the key)."""
    d, f, o = plan.departure, plan.flyby, plan.transfer.orbit
    t_dep, t_arr, c3 = plan.window.minimum(1)
    out: dict[str, Any] = {
        "target": plan.target,
        "departure_utc": _utc(plan.t_dep_tt_s),
        "arrival_utc": _utc(plan.t_arr_tt_s),
        "c3_km2_s2": d.c3_km2_s2,
        "rla_deg": d.rla_deg,
        "dla_deg": d.dla_deg,
        "asymptote_reachable": d.reachable,
        "out_of_plane_deg": d.out_of_plane_deg,
        "injection_delta_v_mps": d.delta_v_mps,
        "transfer_perihelion_au": o.perihelion_au,
        "transfer_aphelion_au": o.aphelion_au,
        "transfer_inclination_deg": o.inclination_deg,
        "transfer_period_days": o.period_days,
        "v_inf_arrival_mps": f.v_inf_mps,
        "flyby_altitude_km": plan.flyby_altitude_km,
        "b_magnitude_km": f.b_magnitude_m / 1e3,
        "turn_angle_deg": f.turn_angle_deg,
        "window_type1_min_c3_km2_s2": c3,
        "window_type1_min_c3_departure_utc": _utc(t_dep),
        "window_type1_min_c3_arrival_utc": _utc(t_arr),
        "others": [
            {"name": x.name, "c3_km2_s2": x.c3_km2_s2,
             "distance_last_contact_km": None if math.isnan(x.distance_last_contact_m) else x.distance_last_contact_m / 1e3,
             "distance_at_arrival_km": None if math.isnan(x.distance_at_arrival_m) else x.distance_at_arrival_m / 1e3}
            for x in plan.others
        ],
    }
    if plan.partial_burn is not None:
        b = plan.partial_burn
        out["partial_burn"] = {"duration_s": b.duration_s, "delta_v_mps": b.delta_v_mps,
                               "perigee_km": b.perigee_km, "apogee_km": b.apogee_km}
    p = plan.injection_point
    out["ideal_injection"] = {
        "utc": _utc(p.t_tt_s), "after_departure_s": p.after_departure_s, "altitude_km": p.altitude_km,
        "true_anomaly_deg": p.true_anomaly_deg,
        "centred_partial_burn_perigee_km": None if math.isnan(p.burn_perigee_km) else p.burn_perigee_km,
        "centred_partial_burn_apogee_km": None if math.isnan(p.burn_apogee_km) else p.burn_apogee_km,
    }
    return out
