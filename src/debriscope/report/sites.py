"""Radar sites as the report draws them: position and the sectors their beams cover.

The geometry comes from :mod:`debriscope.sensors` (``shipped_sites()``); this module only reduces
each ``Radar`` to what a map needs, so the figures do not depend on the sensor model's internals.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

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
    """A radar site: name, label for legends, geodetic position and beam sectors."""

    name: str
    label: str
    lat_deg: float
    lon_deg: float
    height_m: float
    sectors: tuple[Sector, ...]
