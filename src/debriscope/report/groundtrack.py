"""Ground track of the parking orbit, with the event point, the launch site and the radar sites.

The track is the insertion state of ``event.json`` propagated with :func:`debriscope.propagation.propagate`
(two-body + J2, no drag: the force model of the scenario stage's coast to the event, so the track
passes through the event point it computed), and taken to geodetic coordinates with
:mod:`debriscope.frames`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import NDArray

from ..constants import MU_EARTH_M3_S2
from ..elements import rv_to_elements
from ..frames import ecef_to_geodetic, teme_to_itrf
from ..propagation import ForceModel, propagate
from ..timescale import tt_s_to_datetime64
from .canvas import PARENT_COLOR, SITE_COLORS, MissingInput, new_figure
from .coastline import draw_coastline, split_at_antimeridian
from .inputs import RunData
from .sites import SiteGeometry

TRACK_MODEL = ForceModel(zonal_degree=2, drag=False, mode="reference")
"""Two-body + J2, no drag, DOP853 (the coast model of :mod:`debriscope.scenario.launch`)."""


def subsatellite_points(r_teme_m: NDArray, times_tt_s: NDArray) -> tuple[NDArray, NDArray]:
    """Geodetic ``(lat_deg, lon_deg)`` of TEME positions (3, T) at their times."""
    r_itrf, _ = teme_to_itrf(r_teme_m, None, times_tt_s)
    lat, lon, _ = ecef_to_geodetic(r_itrf)
    return np.degrees(lat), np.degrees(lon)


def parking_orbit_track(event: dict, revolutions_after_event: float = 1.5, step_s: float = 20.0) -> dict[str, NDArray]:
    """Sub-satellite track from insertion to the event and on past it (as if the stage had survived).

    Returns a dict with ``t_tt_s``, ``lat_deg``, ``lon_deg`` and ``after_event`` (bool).
    """
    start = event.get("insertion") or {}
    if "r_teme_m" not in start:
        parent = (event.get("parents") or [None])[0]
        if parent is None:
            raise MissingInput("event.json has neither an insertion state nor a parent state")
        start = {"t_tt_s": event["event"]["t_tt_s"], "r_teme_m": parent["r_teme_m"], "v_teme_mps": parent["v_teme_mps"]}
    t0 = float(start["t_tt_s"])
    t_event = float(event["event"]["t_tt_s"])
    a = float(rv_to_elements(np.asarray(start["r_teme_m"]), np.asarray(start["v_teme_mps"])).a_m[0])
    period = 2.0 * np.pi * np.sqrt(a**3 / MU_EARTH_M3_S2)
    times = np.arange(t0, t_event + revolutions_after_event * period, step_s)
    times = np.union1d(times, [t_event])
    state0 = np.concatenate([start["r_teme_m"], start["v_teme_mps"]]).astype(float)[:, None]
    eph = propagate(state0, t0, times, np.zeros(1), TRACK_MODEL)
    r = eph.states[:, :3, 0].T
    lat, lon = subsatellite_points(r, times)
    return {"t_tt_s": times, "lat_deg": lat, "lon_deg": lon, "after_event": times > t_event}


def groundtrack_figure(run: RunData, sites: Sequence[SiteGeometry]) -> Figure:
    """World map: parking-orbit ground track to the event and beyond, event point, launch and radar sites."""
    if run.event is None:
        raise MissingInput("event.json is missing: the scenario stage has not run")
    event = run.event
    track = parking_orbit_track(event)
    fig = new_figure(10.0, 5.6)
    ax = fig.add_subplot()
    draw_coastline(ax)
    before = ~track["after_event"]
    lon, lat = split_at_antimeridian(track["lon_deg"][before], track["lat_deg"][before])
    ax.plot(lon, lat, color="tab:blue", lw=1.6, label="parking orbit, insertion to event", zorder=3)
    idx = np.flatnonzero(track["after_event"])
    idx = np.concatenate([idx[:1] - 1, idx]) if idx.size else idx
    lon, lat = split_at_antimeridian(track["lon_deg"][idx], track["lat_deg"][idx])
    ax.plot(lon, lat, color="tab:blue", lw=1.0, ls="--", alpha=0.7, label="the same orbit, had it survived", zorder=2)
    ins_time = str(tt_s_to_datetime64(track["t_tt_s"][0])[0])[:16].replace("T", " ")
    ax.plot(track["lon_deg"][0], track["lat_deg"][0], "o", color="tab:blue", ms=6, zorder=4)
    ax.annotate(f"insertion {ins_time}Z", (track["lon_deg"][0], track["lat_deg"][0]), xytext=(5, -12),
                textcoords="offset points", fontsize=8, color="tab:blue")
    ev = event["event"]
    ax.plot(ev["subsatellite_lon_deg"], ev["subsatellite_lat_deg"], "*", color="red", ms=16, mec="k",
            zorder=5, label=f"event {ev['time_utc'][:19].replace('T', ' ')}Z, {ev['altitude_km']:.0f} km")
    launch = event.get("launch")
    if launch:
        site = launch["site"]
        ax.plot(site["longitude_deg"], site["latitude_deg"], "P", color=PARENT_COLOR, ms=9, zorder=5,
                label=f"launch site{', ' + site['name'] if site.get('name') else ''}")
    for k, s in enumerate(sites):
        color = SITE_COLORS[k % len(SITE_COLORS)]
        ax.plot(s.lon_deg, s.lat_deg, "^", color=color, mec="k", ms=9, zorder=5, label=f"radar: {s.label}")
    ax.set_xlim(-180, 180)
    ax.set_ylim(-90, 90)
    ax.set_xticks(np.arange(-180, 181, 60))
    ax.set_yticks(np.arange(-90, 91, 30))
    ax.set_aspect("equal")
    ax.grid(lw=0.3, alpha=0.6)
    ax.set_xlabel("longitude (deg)")
    ax.set_ylabel("geodetic latitude (deg)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3, fontsize=8, frameon=False)
    fig.suptitle("Ground track of the parking orbit")
    return fig
