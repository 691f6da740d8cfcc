"""Radar sites as the report draws them: position and the sectors their beams cover.

The radars are those the sensors stage simulated, as it wrote them to ``radars.json``
(:func:`debriscope.sensors.parameters.sensors_from_parameters`); this module only reduces each
``Radar`` to what a map needs, so the figures do not depend on the sensor model's internals.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sector:
    """One beam's coverage: azimuths (deg from north, clockwise, ``az_min_deg`` to ``az_max_deg``
    going clockwise), elevation (deg) and the farthest range it detects at (km)."""

    beam: str
    az_min_deg: float
    az_max_deg: float
    elevation_deg: float
    max_range_km: float


@dataclass(frozen=True)
class SiteGeometry:
    """A radar site: name, label for legends, geodetic position, beam sectors, and the names of its
    radars (detections may name either the site or one of its radars)."""

    name: str
    label: str
    lat_deg: float
    lon_deg: float
    height_m: float
    sectors: tuple[Sector, ...]
    radar_names: tuple[str, ...] = ()


def _sectors(radar) -> tuple[Sector, ...]:
    if radar.mode == "fan":
        elevations = zip(radar.fan_names, radar.fan_elevations_deg, strict=True)
    else:
        elevations = [("tracker", radar.min_elevation_deg)]
    return tuple(
        Sector(beam, radar.azimuth_min_deg, radar.azimuth_max_deg, float(el), radar.max_range_m / 1e3)
        for beam, el in elevations
    )


def sites_from_radars(radars: Iterable) -> list[SiteGeometry]:
    """Group :class:`debriscope.sensors.radar.Radar` objects by their ``site`` into map sites."""
    groups: dict[str, list] = {}
    for radar in radars:
        groups.setdefault(radar.site, []).append(radar)
    out = []
    for name, members in groups.items():
        first = members[0]
        sectors = tuple(s for r in members for s in _sectors(r))
        label = f"{name.title()} ({len(members)} radar{'s' if len(members) > 1 else ''})"
        out.append(SiteGeometry(name, label, first.latitude_deg, first.longitude_deg, first.altitude_m,
                                sectors, tuple(r.name for r in members)))
    return out


def sites_from_sensor_file(document: Mapping[str, Any] | None) -> list[SiteGeometry]:
    """The map sites of the radars of a ``radars.json`` document (none without one)."""
    from ..sensors.parameters import sensors_from_parameters
    from ..sensors.radar import Radar

    if document is None:
        return []
    return sites_from_radars(s for s in sensors_from_parameters(document) if isinstance(s, Radar))
