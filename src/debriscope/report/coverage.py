"""Radar coverage with the detections: a map of the sites, the ground footprints of their beams'
sectors and the sub-points of the detections; and one polar range-azimuth plot per site.

A detection at range rho, azimuth A and elevation E is the point site + rho (cos E sin A, cos E cos A,
sin E) in the site's east-north-up frame (Vallado 2013, sec. 4.4, "SEZ"/topocentric coordinates),
taken to ECEF with :func:`debriscope.frames.enu_matrix` and to geodetic with
:func:`debriscope.frames.ecef_to_geodetic`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import NDArray

from ..frames import ecef_to_geodetic, enu_matrix, geodetic_to_ecef
from ..tables import select
from .canvas import SITE_COLORS, new_figure, require
from .coastline import load_coastline
from .inputs import RunData
from .sites import SiteGeometry

BEAM_MARKERS = {"fan_low": "o", "fan_high": "s", "tracker": "D"}


def topocentric_to_geodetic(
    site: SiteGeometry, range_m: NDArray, azimuth_deg: NDArray, elevation_deg: NDArray
) -> tuple[NDArray, NDArray, NDArray]:
    """Points seen from a site at (range, azimuth, elevation) -> geodetic ``(lat_deg, lon_deg, height_m)``."""
    rng = np.atleast_1d(np.asarray(range_m, float))
    az = np.radians(np.atleast_1d(np.asarray(azimuth_deg, float)))
    el = np.radians(np.atleast_1d(np.asarray(elevation_deg, float)))
    lat0, lon0 = np.radians(site.lat_deg), np.radians(site.lon_deg)
    enu = rng * np.stack([np.cos(el) * np.sin(az), np.cos(el) * np.cos(az), np.sin(el)])
    r0 = np.asarray(geodetic_to_ecef(lat0, lon0, site.height_m), float).reshape(3, 1)
    r = r0 + enu_matrix(lat0, lon0).T @ enu
    lat, lon, h = ecef_to_geodetic(r)
    return np.degrees(lat), np.degrees(lon), h


def polar_map_xy(lat_deg: NDArray, lon_deg: NDArray, north: bool = True) -> tuple[NDArray, NDArray]:
    """Azimuthal equidistant map about a pole (Snyder 1987, *Map Projections: A Working Manual*,
    USGS PP 1395, eqs. 25-2 to 25-4 at the pole): distance from the pole in degrees of arc, longitude
    0 pointing down on a north-polar map (up on a south-polar one)."""
    lat = np.asarray(lat_deg, float)
    lon = np.radians(np.asarray(lon_deg, float))
    rho = 90.0 - lat if north else 90.0 + lat
    return rho * np.sin(lon), (-rho * np.cos(lon)) if north else rho * np.cos(lon)


def fan_ground_line(site: SiteGeometry, sector, altitude_km: float, n: int = 60) -> tuple[NDArray, NDArray]:
    """Sub-points ``(lat_deg, lon_deg)`` where a fan beam meets the sphere ``altitude_km`` above the site's
    geocentric radius, across the sector (cut at the sector's range).

    With s the site's ECEF position and d the beam's unit direction, the slant range to the sphere of
    radius R solves |s + rho d| = R: rho = -(s.d) + sqrt((s.d)^2 - |s|^2 + R^2) (ray-sphere intersection).
    """
    span = (sector.az_max_deg - sector.az_min_deg) % 360.0 or 360.0
    az = np.radians(sector.az_min_deg + np.linspace(0.0, span, n))
    el = np.radians(sector.elevation_deg)
    lat0, lon0 = np.radians(site.lat_deg), np.radians(site.lon_deg)
    s = np.asarray(geodetic_to_ecef(lat0, lon0, site.height_m), float).reshape(3)
    d = enu_matrix(lat0, lon0).T @ np.stack([np.cos(el) * np.sin(az), np.cos(el) * np.cos(az), np.full(n, np.sin(el))])
    radius = float(np.linalg.norm(s)) + altitude_km * 1e3
    sd = s @ d
    rho = np.minimum(-sd + np.sqrt(sd**2 - s @ s + radius**2), sector.max_range_km * 1e3)
    lat, lon, _ = topocentric_to_geodetic(site, rho, np.degrees(az), np.full(n, sector.elevation_deg))
    return lat, lon


def _lon_label(lon_deg: float) -> str:
    if lon_deg % 180.0 == 0.0:
        return f"{abs(lon_deg):.0f}\u00b0"
    return f"{abs(lon_deg):.0f}\u00b0{'W' if lon_deg < 0 else 'E'}"


def _graticule(ax, rho_max: float, north: bool) -> None:
    for colat in np.arange(10.0, rho_max + 0.1, 10.0):
        theta = np.linspace(0, 2 * np.pi, 361)
        ax.plot(colat * np.cos(theta), colat * np.sin(theta), color="0.8", lw=0.4, zorder=0)
        lat = 90.0 - colat if north else colat - 90.0
        ax.text(colat * np.cos(np.radians(-75)), colat * np.sin(np.radians(-75)), f"{lat:.0f}\u00b0",
                fontsize=6.5, color="0.5")
    for lon in np.arange(-180.0, 180.0, 30.0):
        x, y = polar_map_xy(np.array([90.0, 90.0 - rho_max]) * (1 if north else -1), np.array([lon, lon]), north)
        ax.plot(x, y, color="0.8", lw=0.4, zorder=0)
        ax.text(x[1] * 0.96, y[1] * 0.96, _lon_label(lon), fontsize=6.5, color="0.5", ha="center", va="center")


def _site_index(values: NDArray, sites: Sequence[SiteGeometry]) -> NDArray:
    """For each detection's ``site`` value, the name of the map site it belongs to (itself if unknown)."""
    alias = {n: s.name for s in sites for n in (s.name, *s.radar_names)}
    return np.array([alias.get(v, v) for v in values.astype(str)], dtype=str)


def _shell_altitude_km(run: RunData, det, det_sites: NDArray, by_name: dict) -> tuple[float, str]:
    """Altitude of the shell the fan lines are drawn for: the median height of the fan detections
    (where the sites are known), else the breakup altitude."""
    heights = []
    fan = np.asarray(det["beam"]).astype(str) != "tracker" if "beam" in det else np.ones(det_sites.size, bool)
    for name, site in by_name.items():
        m = (det_sites == name) & fan
        if m.any():
            heights.append(topocentric_to_geodetic(site, det["range_m"][m], det["azimuth_deg"][m],
                                                   det["elevation_deg"][m])[2])
    if heights:
        return float(np.median(np.concatenate(heights))) / 1e3, "median height of the fan detections"
    return float((run.event or {}).get("event", {}).get("altitude_km", 300.0)), "breakup altitude"


def coverage_figure(run: RunData, sites: Sequence[SiteGeometry]) -> Figure:
    """North- (or south-) polar map of fan crossing lines and detection sub-points; range-azimuth per site."""
    det = require(run.detections, "detections.csv", ("site", "range_m", "azimuth_deg", "elevation_deg"))
    if "sensor_kind" in det:  # the radars that measure range and angles on their own (fans, cued trackers)
        det = select(det, np.isin(np.asarray(det["sensor_kind"]).astype(str), ("radar_fan", "radar_cued")))
    det_sites = _site_index(np.asarray(det["site"]), sites)
    by_name = {s.name: s for s in sites}
    names = [s.name for s in sites] + sorted(set(det_sites) - set(by_name))
    beams = np.asarray(det["beam"]).astype(str) if "beam" in det else np.full(det_sites.size, "beam")
    altitude_km, altitude_note = _shell_altitude_km(run, det, det_sites, by_name)
    north = not sites or float(np.mean([s.lat_deg for s in sites])) >= 0.0
    fig = new_figure(11.0, max(3.3 * len(names), 6.0))
    grid = fig.add_gridspec(len(names), 2, width_ratios=(1.55, 1.0))
    ax = fig.add_subplot(grid[:, 0])
    rho_max = 10.0
    for k, name in enumerate(names):
        color = SITE_COLORS[k % len(SITE_COLORS)]
        site = by_name.get(name)
        if site is None:
            continue
        fans = [sector for sector in site.sectors if sector.beam != "tracker"]
        lowest = min((sector.elevation_deg for sector in fans), default=0.0)
        for sector in fans:
            lat, lon = fan_ground_line(site, sector, altitude_km)
            x, y = polar_map_xy(lat, lon, north)
            ax.plot(x, y, color=color, lw=1.0, ls="-" if sector.elevation_deg == lowest else "--")
            rho_max = max(rho_max, float(np.max(90.0 - np.abs(lat))))
        x, y = polar_map_xy(site.lat_deg, site.lon_deg, north)
        ax.plot(x, y, "^", color=color, mec="k", ms=10, zorder=5, label=site.label)
        m = det_sites == name
        if m.any():
            lat, lon, _ = topocentric_to_geodetic(site, det["range_m"][m], det["azimuth_deg"][m], det["elevation_deg"][m])
            x, y = polar_map_xy(lat, lon, north)
            ax.scatter(x, y, s=5, color=color, alpha=0.5, lw=0, zorder=4, label=f"detection sub-points, {name} ({m.sum()})")
            rho_max = max(rho_max, float(np.max(90.0 - np.abs(lat))))
    rho_max = min(np.ceil(rho_max / 10.0) * 10.0 + 5.0, 90.0)
    coast_lon, coast_lat = load_coastline()
    x, y = polar_map_xy(coast_lat, coast_lon, north)
    far = (90.0 - np.abs(coast_lat)) > rho_max + 10.0
    ax.plot(np.where(far, np.nan, x), np.where(far, np.nan, y), color="0.45", lw=0.6, zorder=1)
    _graticule(ax, rho_max, north)
    ax.plot([], [], color="k", lw=1.0, label=f"low fan meets the {altitude_km:.0f} km shell ({altitude_note})")
    ax.plot([], [], color="k", lw=1.0, ls="--", label=f"high fan meets the {altitude_km:.0f} km shell")
    ax.set_xlim(-rho_max, rho_max)
    ax.set_ylim(-rho_max, rho_max)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.legend(fontsize=7.5, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=2, frameon=False)
    ax.set_title(f"{'North' if north else 'South'}-polar map: where the fans meet an altitude shell, "
                 "and the detections' sub-points", fontsize=9)
    for k, name in enumerate(names):
        pax = fig.add_subplot(grid[k, 1], projection="polar")
        pax.set_theta_zero_location("N")
        pax.set_theta_direction(-1)
        site = by_name.get(name)
        color = SITE_COLORS[k % len(SITE_COLORS)]
        m = det_sites == name
        r_max = float(np.nanmax(det["range_m"][m])) / 1e3 if m.any() else 1000.0
        for sector in site.sectors if site else ():
            if sector.beam == "tracker":
                continue
            span = (sector.az_max_deg - sector.az_min_deg) % 360.0 or 360.0
            pax.bar(np.radians(sector.az_min_deg + span / 2), r_max * 1.05, width=np.radians(span),
                    color=color, alpha=0.06, ec=color, lw=0.4)
        for beam in sorted(set(beams[m])):
            mb = m & (beams == beam)
            pax.scatter(np.radians(det["azimuth_deg"][mb]), np.asarray(det["range_m"][mb], float) / 1e3, s=6,
                        marker=BEAM_MARKERS.get(beam, "o"), alpha=0.7, lw=0, label=f"{beam} ({mb.sum()})")
        if m.any():
            pax.legend(fontsize=7, loc="lower left", bbox_to_anchor=(-0.35, -0.12))
        else:
            pax.text(0.5, 0.5, "no detection", transform=pax.transAxes, ha="center", fontsize=9)
        pax.set_rmax(r_max * 1.05)
        pax.tick_params(labelsize=7)
        pax.set_title(f"{site.label if site else name}: range (km) and azimuth", fontsize=9)
    fig.suptitle("Radar coverage and detections")
    return fig
