"""Sensors of 1962: radars, the NAVSPASUR fence, Baker-Nunn cameras; the radar equations, SEM RCS, detections.

Public API::

    network = shipped_network()                          # {site: (Radar | Fence | Camera, ...)}
    radars = shipped_sites()["clear"]                    # tuple of Radar (BMEWS)
    size_threshold_m(network["navspasur"][0], 500e3)     # smallest object seen at 500 km, m
    rcs_m2 = rcs_from_size_m2(lc_m, wavelength_m)         # NASA SEM
    result = simulate_detections(radars, state0_teme, t0_tt_s, lc_m, propagate_chunk, rng,
                                 t_end_tt_s=...)          # DetectionResult
    site = site_teme(lat_deg, lon_deg, alt_m, t_tt_s); rng, az, el, rr = topocentric(site, r, v)

See ``docs/sensors.md``.
"""

from .camera import Camera
from .detect import DETECTION_COLUMNS, SENSOR_KINDS, DetectionResult, simulate_detections
from .fence import Fence, FenceStation, triangulate
from .geometry import SiteTeme, site_teme, subsatellite_point_deg, topocentric
from .network import shipped_network
from .radar import Radar
from .radar_equation import pd_nonfluctuating, pd_swerling1, snr_single_pulse
from .sem import rcs_from_size_m2, size_from_rcs_m
from .sites import shipped_sites
from .thresholds import size_threshold_m

__all__ = [
    "DETECTION_COLUMNS",
    "SENSOR_KINDS",
    "Camera",
    "DetectionResult",
    "Fence",
    "FenceStation",
    "Radar",
    "SiteTeme",
    "pd_nonfluctuating",
    "pd_swerling1",
    "rcs_from_size_m2",
    "shipped_network",
    "shipped_sites",
    "simulate_detections",
    "site_teme",
    "size_from_rcs_m",
    "size_threshold_m",
    "snr_single_pulse",
    "subsatellite_point_deg",
    "topocentric",
    "triangulate",
]
