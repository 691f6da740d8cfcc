"""The shipped coastline and the tool that built it."""

from __future__ import annotations

import importlib.util
import struct
from pathlib import Path

import numpy as np

from debriscope.report.coastline import load_coastline, split_at_antimeridian

TOOL = Path(__file__).resolve().parents[2] / "tools" / "build_coastline.py"


def _tool():
    spec = importlib.util.spec_from_file_location("build_coastline", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _near(lon, lat, lon0, lat0, tol_deg):
    ok = np.isfinite(lon)
    return np.any(np.hypot(lon[ok] - lon0, lat[ok] - lat0) < tol_deg)


def test_shipped_coastline_is_a_world_coastline():
    lon, lat = load_coastline()
    ok = np.isfinite(lon)
    assert np.all((lon[ok] >= -180) & (lon[ok] <= 180) & (lat[ok] >= -90) & (lat[ok] <= 90))
    assert np.array_equal(np.isnan(lon), np.isnan(lat))
    assert np.sum(np.isnan(lon)) + 1 > 200  # Natural Earth 1:110m has a few hundred coast pieces
    # capes and coasts (Natural Earth 1:110m is generalised to ~0.5 deg)
    assert _near(lon, lat, 18.5, -34.4, 1.0)  # Cape of Good Hope
    assert _near(lon, lat, -67.3, -55.9, 1.0)  # Cape Horn
    assert _near(lon, lat, -149.9, 61.2, 1.5)  # Anchorage, Cook Inlet (near Clear, Alaska)
    # land borders are not coast: nothing near the middle of the Franco-German border on the Rhine
    # ... the Rhine border runs 47.6-49.0 N at 7.6-8.2 E, 250 km from any sea
    assert not _near(lon, lat, 7.9, 48.3, 1.5)
    assert not _near(lon, lat, 63.3, 45.9, 2.0)  # Baikonur, in the Kazakh steppe


def test_tool_drops_shared_edges_and_map_cut():
    tool = _tool()
    square = lambda x0: np.array([[x0, 0.0], [x0 + 1, 0.0], [x0 + 1, 1.0], [x0, 1.0], [x0, 0.0]])  # noqa: E731
    lines = tool.coastline_polylines([square(0.0), square(1.0)])
    edges = sorted(tuple(sorted(map(tuple, line[k : k + 2]))) for line in lines for k in range(len(line) - 1))
    assert len(edges) == 6 and ((1.0, 0.0), (1.0, 1.0)) not in edges  # the shared edge x = 1 is a border
    cut = np.array([[179.0, 0.0], [180.0, 0.0], [180.0, 1.0], [179.0, 1.0], [179.0, 0.0]])
    lines = tool.coastline_polylines([cut])
    edges = [tuple(map(tuple, line[k : k + 2])) for line in lines for k in range(len(line) - 1)]
    assert len(edges) == 3 and ((180.0, 0.0), (180.0, 1.0)) not in edges
    island = square(5.0)
    (line,) = tool.coastline_polylines([island])
    assert np.array_equal(line, island)


def test_tool_reads_polygon_shapefiles(tmp_path):
    """A two-part polygon written per the ESRI Shapefile Technical Description (1998) reads back."""
    tool = _tool()
    ring_a = np.array([[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]], float)
    ring_b = np.array([[5, 5], [5, 6], [6, 6], [5, 5]], float)
    points = np.vstack([ring_a, ring_b])
    content = struct.pack("<i4d2i", 5, 0, 0, 6, 6, 2, len(points)) + struct.pack("<2i", 0, 5)
    content += points.astype("<f8").tobytes()
    record = struct.pack(">2i", 1, len(content) // 2) + content
    header = struct.pack(">7i", 9994, 0, 0, 0, 0, 0, (100 + len(record)) // 2) + struct.pack("<2i", 1000, 5)
    header += struct.pack("<8d", 0, 0, 6, 6, 0, 0, 0, 0)
    shp = tmp_path / "t.shp"
    shp.write_bytes(header + record)
    rings = tool.read_polygon_rings(shp)
    assert len(rings) == 2 and np.array_equal(rings[0], ring_a) and np.array_equal(rings[1], ring_b)


def test_split_at_antimeridian():
    lon, lat = split_at_antimeridian(np.array([170.0, 179.0, 189.0, -170.0]), np.array([0.0, 1.0, 2.0, 3.0]))
    assert np.isnan(lon[2]) and np.allclose(lon[[0, 1, 3, 4]], [170.0, 179.0, -171.0, -170.0])
    assert np.allclose(lat[[0, 1, 3, 4]], [0.0, 1.0, 2.0, 3.0])
