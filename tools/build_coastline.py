"""Build ``src/debriscope/report/data/coastline_110m.npz`` from Natural Earth 1:110m country polygons.

Source: the ``naturalearth_lowres`` shapefile that the geopandas 0.14.4 wheel ships
(``geopandas/datasets/naturalearth_lowres/``), Natural Earth's 1:110m "Admin 0 - Countries"
(public domain, https://www.naturalearthdata.com/about/terms-of-use/). Get it with the ordinary
client, nothing else is needed::

    pip download --no-deps geopandas==0.14.4 -d /tmp/ne
    unzip -o /tmp/ne/geopandas-0.14.4-py3-none-any.whl 'geopandas/datasets/naturalearth_lowres/*' -d /tmp/ne
    python tools/build_coastline.py /tmp/ne/geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp

Method: the country polygons of Natural Earth share their borders vertex for vertex, so a polygon
edge that appears in exactly one ring lies on a coast, and an edge shared by two rings is a land
border. Edges along the map's cut (longitude +-180 deg, latitude -90 deg) are dropped too. The
kept edges are emitted as maximal runs along each ring, i.e. the coastline as polylines.

Output: ``lon_deg`` and ``lat_deg`` (float32), all polylines concatenated with a NaN between two
polylines, so ``ax.plot(lon_deg, lat_deg)`` draws the whole coastline in one call.
"""

from __future__ import annotations

import struct
import sys
from collections import Counter
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "src" / "debriscope" / "report" / "data" / "coastline_110m.npz"
POLYGON = 5  # ESRI Shapefile Technical Description (1998), table 1: shape type 5 = Polygon
KEY_DECIMALS = 7  # vertices equal to 1e-7 deg (1 cm) count as the same vertex


def read_polygon_rings(path: Path) -> list[np.ndarray]:
    """Every ring of every polygon record of an ESRI shapefile, as (K, 2) lon/lat arrays.

    Layout from the ESRI Shapefile Technical Description (1998): a 100-byte file header, then
    records of an 8-byte big-endian header (number, content length in 16-bit words) and content
    starting with the little-endian shape type; a polygon holds a bounding box (4 doubles),
    numParts, numPoints, the part start indices and the points (x, y doubles).
    """
    data = path.read_bytes()
    pos = 100
    rings = []
    while pos < len(data):
        _, length_words = struct.unpack(">ii", data[pos : pos + 8])
        content = data[pos + 8 : pos + 8 + 2 * length_words]
        pos += 8 + 2 * length_words
        (shape_type,) = struct.unpack("<i", content[:4])
        if shape_type != POLYGON:
            continue
        n_parts, n_points = struct.unpack("<ii", content[36:44])
        parts = np.frombuffer(content, "<i4", n_parts, 44)
        points = np.frombuffer(content, "<f8", 2 * n_points, 44 + 4 * n_parts).reshape(-1, 2)
        bounds = list(parts) + [n_points]
        rings.extend(points[bounds[k] : bounds[k + 1]].copy() for k in range(n_parts))
    return rings


def _key(point: np.ndarray) -> tuple[float, float]:
    return (round(float(point[0]), KEY_DECIMALS), round(float(point[1]), KEY_DECIMALS))


def _edge_key(p: np.ndarray, q: np.ndarray) -> tuple:
    a, b = _key(p), _key(q)
    return (a, b) if a <= b else (b, a)


def _on_cut(p: np.ndarray, q: np.ndarray) -> bool:
    both_on_antimeridian = abs(abs(p[0]) - 180.0) < 1e-6 and abs(abs(q[0]) - 180.0) < 1e-6
    both_on_south_pole = p[1] < -89.999 and q[1] < -89.999
    return both_on_antimeridian or both_on_south_pole


def coastline_polylines(rings: list[np.ndarray]) -> list[np.ndarray]:
    """Polylines of the edges that belong to exactly one ring and do not lie on the map's cut."""
    counts = Counter(_edge_key(r[k], r[k + 1]) for r in rings for k in range(len(r) - 1))
    lines = []
    for ring in rings:
        n = len(ring) - 1  # closed ring: last point repeats the first
        keep = np.array(
            [counts[_edge_key(ring[k], ring[k + 1])] == 1 and not _on_cut(ring[k], ring[k + 1]) for k in range(n)]
        )
        if not keep.any():
            continue
        if keep.all():
            lines.append(ring)
            continue
        start = int(np.argmin(keep)) + 1  # begin just after a dropped edge, so runs never wrap
        order = [(start + j) % n for j in range(n)]
        run: list[int] = []
        for k in order + [None]:
            if k is not None and keep[k]:
                run.append(k)
                continue
            if run:
                idx = run + [(run[-1] + 1) % n]
                lines.append(ring[idx])
                run = []
    return lines


def main(shp: str) -> None:
    lines = coastline_polylines(read_polygon_rings(Path(shp)))
    lon, lat = [], []
    for line in lines:
        lon.extend([*line[:, 0], np.nan])
        lat.extend([*line[:, 1], np.nan])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, lon_deg=np.array(lon[:-1], np.float32), lat_deg=np.array(lat[:-1], np.float32))
    print(f"{len(lines)} polylines, {len(lon) - len(lines)} points -> {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python tools/build_coastline.py PATH/naturalearth_lowres.shp")
    main(sys.argv[1])
