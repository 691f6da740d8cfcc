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
from .canvas import SITE_COLORS, MissingInput, new_figure, require
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


def _unwrap(lon_deg: NDArray, center_deg: float) -> NDArray:
    return (np.asarray(lon_deg, float) - center_deg + 180.0) % 360.0 - 180.0 + center_deg


def _sector_outline(site: SiteGeometry, sector) -> tuple[NDArray, NDArray]:
    span = (sector.az_max_deg - sector.az_min_deg) % 360.0 or 360.0
    az = sector.az_min_deg + np.linspace(0.0, span, 60)
    lat, lon, _ = topocentric_to_geodetic(site, np.full(az.size, sector.max_range_km * 1e3), az,
                                          np.full(az.size, sector.elevation_deg))
    return np.concatenate([[site.lat_deg], lat, [site.lat_deg]]), np.concatenate([[site.lon_deg], lon, [site.lon_deg]])


def coverage_figure(run: RunData, sites: Sequence[SiteGeometry]) -> Figure:
    """Map of beam footprints and detection sub-points, and polar range-azimuth plots per site."""
    det = require(run.detections, "detections.csv", ("site", "range_m", "azimuth_deg", "elevation_deg"))
    det_sites = np.asarray(det["site"]).astype(str)
    by_name = {s.name: s for s in sites}
    names = [s.name for s in sites] + sorted(set(det_sites) - set(by_name))
    if not names:
        raise MissingInput("no radar site and no detection")
    beams = np.asarray(det["beam"]).astype(str) if "beam" in det else np.full(det_sites.size, "beam")
    fig = new_figure(11.0, max(4.2 * len(names), 5.0))
    grid = fig.add_gridspec(len(names), 2, width_ratios=(1.9, 1.0))
    ax = fig.add_subplot(grid[:, 0])
    lats, lons = [], []
    center = float(np.mean([s.lon_deg for s in sites])) if sites else 0.0
    for k, name in enumerate(names):
        color = SITE_COLORS[k % len(SITE_COLORS)]
        site = by_name.get(name)
        if site is None:
            continue
        for sector in site.sectors:
            lat, lon = _sector_outline(site, sector)
            lon = _unwrap(lon, center)
            ax.fill(lon, lat, color=color, alpha=0.10, lw=0)
            ax.plot(lon, lat, color=color, lw=0.8, alpha=0.8)
            lats.extend(lat)
            lons.extend(lon)
        ax.plot(_unwrap(site.lon_deg, center), site.lat_deg, "^", color=color, mec="k", ms=10, zorder=5,
                label=f"{site.label}")
        lats.append(site.lat_deg)
        lons.append(float(_unwrap(site.lon_deg, center)))
        m = det_sites == name
        if m.any():
            lat, lon, _ = topocentric_to_geodetic(site, det["range_m"][m], det["azimuth_deg"][m], det["elevation_deg"][m])
            lon = _unwrap(lon, center)
            ax.scatter(lon, lat, s=6, color=color, alpha=0.6, lw=0, zorder=4, label=f"detections, {name} ({m.sum()})")
            lats.extend(lat)
            lons.extend(lon)
    coast_lon, coast_lat = load_coastline()
    for shift in (-360.0, 0.0, 360.0):
        ax.plot(coast_lon + shift, coast_lat, color="0.45", lw=0.6, zorder=1)
    if lats:
        lo_lat, hi_lat = np.nanmin(lats), np.nanmax(lats)
        lo_lon, hi_lon = np.nanmin(lons), np.nanmax(lons)
        ax.set_xlim(lo_lon - 8.0, hi_lon + 8.0)
        ax.set_ylim(max(lo_lat - 5.0, -90.0), min(hi_lat + 5.0, 90.0))
        mid = np.radians(0.5 * (lo_lat + hi_lat))
        ax.set_aspect(1.0 / max(np.cos(mid), 0.2))
    else:
        ax.text(0.5, 0.5, "site positions unknown", transform=ax.transAxes, ha="center")
    ax.grid(lw=0.3, alpha=0.6)
    ax.set_xlabel("longitude (deg)")
    ax.set_ylabel("geodetic latitude (deg)")
    ax.legend(fontsize=7.5, loc="lower left", framealpha=0.9)
    ax.set_title("Beam footprints (far edge at the sector's elevation) and detection sub-points", fontsize=9)
    for k, name in enumerate(names):
        pax = fig.add_subplot(grid[k, 1], projection="polar")
        pax.set_theta_zero_location("N")
        pax.set_theta_direction(-1)
        site = by_name.get(name)
        color = SITE_COLORS[k % len(SITE_COLORS)]
        r_max = 0.0
        for sector in site.sectors if site else ():
            span = (sector.az_max_deg - sector.az_min_deg) % 360.0 or 360.0
            pax.bar(np.radians(sector.az_min_deg + span / 2), sector.max_range_km, width=np.radians(span),
                    color=color, alpha=0.10, ec=color, lw=0.6)
            r_max = max(r_max, sector.max_range_km)
        m = det_sites == name
        for beam in sorted(set(beams[m])):
            mb = m & (beams == beam)
            pax.scatter(np.radians(det["azimuth_deg"][mb]), np.asarray(det["range_m"][mb], float) / 1e3, s=6,
                        marker=BEAM_MARKERS.get(beam, "o"), alpha=0.7, lw=0, label=beam)
        if m.any():
            r_max = max(r_max, float(np.nanmax(det["range_m"][m])) / 1e3)
            pax.legend(fontsize=7, loc="lower left", bbox_to_anchor=(-0.25, -0.15))
        pax.set_rmax(r_max * 1.05 if r_max > 0 else 1.0)
        pax.tick_params(labelsize=7)
        pax.set_title(f"{site.label if site else name}: range (km) vs azimuth", fontsize=9)
    fig.suptitle("Radar coverage and detections")
    return fig
