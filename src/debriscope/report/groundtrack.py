"""Ground track of the parking orbit, with the event point, the launch site and the radar sites.

The track is the one the scenario stage wrote (``groundtrack.csv``: its own coast model, two-body +
J2, so it passes through the event point it computed; :mod:`debriscope.scenario.groundtrack`); the
report only draws it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from .canvas import PARENT_COLOR, SITE_COLORS, MissingInput, new_figure
from .coastline import draw_coastline, split_at_antimeridian
from .inputs import RunData
from .sites import SiteGeometry


def groundtrack_figure(run: RunData, sites: Sequence[SiteGeometry]) -> Figure:
    """World map: parking-orbit ground track to the event and beyond, event point, launch and radar sites."""
    if run.event is None or run.groundtrack is None:
        raise MissingInput("event.json or groundtrack.csv is missing: the scenario stage has not run")
    event = run.event
    track = run.groundtrack
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
    ins_time = str(track["time_utc"][0])[:16].replace("T", " ")
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
