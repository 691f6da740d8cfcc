"""The shipped world coastline (Natural Earth 1:110m, public domain) and drawing it on a map axis.

The data file and its provenance are in ``debriscope/report/data/`` (``README.md``); it was built
by ``tools/build_coastline.py``. Nothing here downloads.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import NDArray

COASTLINE_FILE = "coastline_110m.npz"


@lru_cache(maxsize=1)
def load_coastline() -> tuple[NDArray, NDArray]:
    """Coastline polylines as ``(lon_deg, lat_deg)``, float64, polylines separated by NaN."""
    with resources.files("debriscope.report").joinpath("data", COASTLINE_FILE).open("rb") as handle:
        data = np.load(handle)
        return data["lon_deg"].astype(float), data["lat_deg"].astype(float)


def draw_coastline(ax: Axes, *, color: str = "0.45", linewidth: float = 0.6) -> None:
    """Draw the coastline on an equirectangular (longitude, latitude in degrees) axis."""
    lon, lat = load_coastline()
    ax.plot(lon, lat, color=color, linewidth=linewidth, zorder=1)


def split_at_antimeridian(lon_deg: NDArray, lat_deg: NDArray) -> tuple[NDArray, NDArray]:
    """Insert NaN where a track jumps across longitude +-180 deg, so a map draws no line across it.

    Longitudes are wrapped to [-180, 180) first.
    """
    lon = (np.asarray(lon_deg, dtype=float) + 180.0) % 360.0 - 180.0
    lat = np.asarray(lat_deg, dtype=float)
    jumps = np.flatnonzero(np.abs(np.diff(lon)) > 180.0) + 1
    return np.insert(lon, jumps, np.nan), np.insert(lat, jumps, np.nan)
