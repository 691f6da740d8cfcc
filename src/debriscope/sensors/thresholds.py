"""The smallest object each sensor detects at a given range: the size threshold of a sensor.

Radars and the fence: the characteristic length whose NASA SEM radar cross section gives the mean
SNR of a single-look detection probability of 0.5 at the sensor's false-alarm probability for a
Swerling I target, ``SNR = ln(P_fa) / ln(0.5) - 1`` (Swerling 1960); for the fence, transmitter
and receiver both at ``range_m`` from the object, the strongest transmitter, integration ``1/B``.
Cameras: the diameter of the diffuse sphere of the limiting magnitude at ``range_m`` and phase
angle ``phase_rad`` (:func:`debriscope.sensors.camera.diffuse_sphere_magnitude` solved for it).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

from .camera import SUN_MAGNITUDE_V, Camera
from .fence import Fence
from .radar import Radar
from .radar_equation import db_to_ratio
from .sem import rcs_from_size_m2

_LC_MIN_M, _LC_MAX_M = 1e-4, 100.0


def _snr_required(pfa: float) -> float:
    return float(np.log(pfa) / np.log(0.5) - 1.0)


def _size_for_rcs(rcs_m2: float, wavelength_m: float) -> float:
    """Characteristic length whose SEM RCS is ``rcs_m2`` (SEM is monotonic in size)."""
    def f(log_lc: float) -> float:
        return float(np.log(rcs_from_size_m2(np.exp(log_lc), wavelength_m)) - np.log(rcs_m2))

    lo, hi = np.log(_LC_MIN_M), np.log(_LC_MAX_M)
    if f(lo) >= 0:
        return _LC_MIN_M
    if f(hi) <= 0:
        return np.inf
    return float(np.exp(brentq(f, lo, hi, xtol=1e-6)))


def size_threshold_m(sensor: Radar | Fence | Camera, range_m: float = 500e3, phase_rad: float = np.pi / 2) -> float:
    """Smallest characteristic length (m) the sensor detects at ``range_m`` (P_d 0.5; camera: at ``phase_rad``)."""
    if isinstance(sensor, Camera):
        f = 2.0 / (3.0 * np.pi**2) * ((np.pi - phase_rad) * np.cos(phase_rad) + np.sin(phase_rad))
        flux = 10.0 ** ((SUN_MAGNITUDE_V - sensor.limiting_magnitude) / 2.5)
        return float(np.sqrt(4.0 * range_m**2 * flux / (np.pi * sensor.albedo * f)))
    if isinstance(sensor, Fence):
        best = max(sensor.transmitters, key=lambda s: s.power_w * db_to_ratio(s.gain_dbi))
        rx = max(sensor.receivers, key=lambda s: s.gain_dbi)
        # a slow crossing (normal speed 1 mm/s): the integration is limited by the bandwidth, 1/B
        snr_1m2 = float(sensor.snr(best, rx, np.array(range_m), np.array(range_m), np.array(1.0), np.array(1e-3)))
        return _size_for_rcs(_snr_required(sensor.pfa) / snr_1m2, sensor.wavelength_m)
    snr_1m2 = float(sensor.snr(range_m, 1.0))
    return _size_for_rcs(_snr_required(sensor.pfa) / snr_1m2, sensor.wavelength_m)
