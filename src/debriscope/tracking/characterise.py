"""Object characterisation from the observations alone: radar cross section and size, as the centre of 1962 had to.

For every row of an object's detections the sensor's own forward model is inverted at the object's
*estimated* position (never the truth):

- monostatic radar rows: the range equation solved for the cross section,
  ``sigma = SNR (4 pi)^3 R^4 k T_s L / (P_t G^2 lambda^2 tau)`` (Skolnik, *Introduction to Radar
  Systems*, 3rd ed., 2001, sec. 2.1; :func:`debriscope.sensors.radar_equation.rcs_from_snr`), R the
  range the radar measured in that row (what the radar itself knew, within its range sigma), else
  the range from the site to the estimated position;
- fence rows (the receiver is the row's ``beam``): the bistatic equation (Skolnik 2001, eq. 10.1) is
  linear in sigma, so ``sigma = SNR / SNR(sigma = 1 m^2)`` with the ranges to the transmitters and the
  receiver from the estimated position; the strongest transmitter that sees the object, as the
  simulation takes it; integration ``min(1/B, transit)`` with the transit from the estimated velocity
  (``1/B`` when only positions are given);
- camera rows: the diffuse-sphere magnitude inverted for the diameter (McCue, Williams & Morford 1971;
  :func:`debriscope.sensors.camera.diameter_from_magnitude_m`) with the camera's albedo convention.

Per sensor, the cross sections of its rows are averaged in linear units (the maximum-likelihood
estimate of the mean of a Swerling I or III fluctuation, Swerling 1960), with relative standard
error ``CV / sqrt(n)`` (the standard error of its logarithm; CV = 1 for Swerling I, 1/sqrt(2) for Swerling III; the rows' own scatter for
a steady target), and turned into a size by the inverse NASA SEM curve at the sensor's wavelength
(:func:`debriscope.sensors.sem.size_from_rcs_m`); a camera's diameters are averaged in area. The
object's size is the row-weighted geometric mean of the sensors' sizes; its ``sigma_ln_size``
combines the sensors' standard errors with their scatter about that mean. The RCS reported is that
of the sensor with the most SNR rows, at its wavelength (the catalog of 1962 listed the RCS its UHF
radars measured).

Known bias: only looks that crossed the detection threshold are in the table, so near a sensor's
threshold the mean SNR, hence the size, is biased high; no correction is applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..constants import OMEGA_EARTH_RAD_S
from ..sensors.camera import Camera, diameter_from_magnitude_m, sun_direction_teme
from ..sensors.fence import Fence, FenceStation, direction_cosines
from ..sensors.geometry import SiteTeme, itrf_to_teme_matrices, site_teme
from ..sensors.radar import Radar
from ..sensors.radar_equation import db_to_ratio, rcs_from_snr
from ..sensors.sem import size_from_rcs_m
from ..tables import Table
from ..timescale import utc_to_tt_s

Sensor = Radar | Fence | Camera

SWERLING_CV = {1: 1.0, 3: 1.0 / np.sqrt(2.0)}
"""Coefficient of variation of the RCS fluctuation: exponential (Swerling I) and chi-square with
4 degrees of freedom (Swerling III) (Swerling 1960); Swerling 0 uses the rows' own scatter."""


@dataclass(frozen=True)
class SensorSize:
    """What one sensor's rows say of an object: RCS at its wavelength (NaN for a camera), size, error."""

    sensor: str
    n_rows: int
    wavelength_m: float
    rcs_m2: float
    size_m: float
    sigma_ln_size: float


@dataclass(frozen=True)
class Characterisation:
    """An object's estimated RCS (m^2, at ``rcs_wavelength_m``), size (m) and its log spread; NaN if unknown."""

    rcs_m2: float
    rcs_wavelength_m: float
    size_m: float
    sigma_ln_size: float
    per_sensor: tuple[SensorSize, ...]


UNKNOWN = Characterisation(np.nan, np.nan, np.nan, np.nan, ())


def rcs_rows_m2(sensor: Radar | Fence, t_tt_s: NDArray, snr: NDArray, state_teme: NDArray,
                receiver: NDArray | None = None, range_m: NDArray | None = None) -> NDArray:
    """Cross section (m^2) of each row from its linear SNR and the estimated state (3 or 6, k);
    a radar row's measured ``range_m`` (NaN: none) is used before the estimate."""
    r = state_teme[:3]
    if isinstance(sensor, Radar):
        site = site_teme(sensor.latitude_deg, sensor.longitude_deg, sensor.altitude_m, t_tt_s)
        estimated = np.linalg.norm(r - site.r_teme_m, axis=0)
        measured = np.full(t_tt_s.size, np.nan) if range_m is None else np.asarray(range_m, dtype=float)
        range_m = np.where(np.isfinite(measured), measured, estimated)
        return rcs_from_snr(
            snr, range_m, peak_power_w=sensor.peak_power_w, gain=float(db_to_ratio(sensor.gain_dbi)),
            wavelength_m=sensor.wavelength_m, pulse_width_s=sensor.pulse_width_s,
            noise_temperature_k=sensor.noise_temperature_k, losses=float(db_to_ratio(sensor.losses_db)),
        )
    normal_speed = np.zeros(t_tt_s.size)  # no velocity: the integration is 1/B
    if state_teme.shape[0] == 6:
        pole = np.einsum("tij,j->it", itrf_to_teme_matrices(t_tt_s), sensor.pole_itrf())
        omega = np.array([0.0, 0.0, OMEGA_EARTH_RAD_S]).reshape(3, 1)
        normal_speed = np.einsum("im,im->m", pole, state_teme[3:] - np.cross(omega, r, axis=0))
    unit = np.full(t_tt_s.size, np.nan)
    min_el = np.radians(sensor.min_elevation_deg)
    receivers = {s.name: s for s in sensor.receivers}
    names = np.asarray(receiver, dtype=str) if receiver is not None else np.full(t_tt_s.size, "")
    for name in np.unique(names):
        rows = np.flatnonzero(names == name)
        rx = receivers.get(str(name), sensor.receivers[0])
        r_rx = direction_cosines(_station_teme(rx, t_tt_s[rows]), r[:, rows])[0]
        best = np.zeros(rows.size)
        for tx in sensor.transmitters:  # the strongest transmitter that sees the object
            r_tx, el_tx, _, _ = direction_cosines(_station_teme(tx, t_tt_s[rows]), r[:, rows])
            s1 = sensor.snr(tx, rx, r_tx, r_rx, np.ones(rows.size), normal_speed[rows])
            best = np.where(el_tx >= min_el, np.maximum(best, s1), best)
        unit[rows] = np.where(best > 0, best, np.nan)
    return snr / unit


def diameter_rows_m(camera: Camera, t_tt_s: NDArray, magnitude: NDArray, state_teme: NDArray) -> NDArray:
    """Diffuse-sphere diameter (m) of each camera row from its magnitude and the estimated position."""
    site = site_teme(camera.latitude_deg, camera.longitude_deg, camera.altitude_m, t_tt_s)
    rho = state_teme[:3] - site.r_teme_m
    range_m = np.linalg.norm(rho, axis=0)
    cos_phase = -np.einsum("im,im->m", rho / range_m, sun_direction_teme(t_tt_s))
    return diameter_from_magnitude_m(magnitude, range_m, np.arccos(np.clip(cos_phase, -1, 1)), camera.albedo)


def _sensor_size(sensor: Sensor, values: NDArray) -> SensorSize:
    """Average the rows' RCS (linear) or camera areas, then size and its log standard error."""
    n = values.size
    if isinstance(sensor, Camera):
        area = values**2
        size = float(np.sqrt(np.mean(area)))
        sigma = 0.5 * float(np.std(np.log(area), ddof=1)) / np.sqrt(n) if n > 1 else np.nan
        return SensorSize(sensor.name, n, np.nan, np.nan, size, sigma)
    rcs = float(np.mean(values))
    cv = SWERLING_CV.get(sensor.swerling)
    if cv is None:  # a steady target: the rows' own scatter
        cv = float(np.std(values, ddof=1) / rcs) if n > 1 else 0.0
    rel = cv / np.sqrt(n)
    lam = sensor.wavelength_m
    size = float(size_from_rcs_m(rcs, lam))
    sigma = 0.5 * float(np.log(size_from_rcs_m(rcs * np.exp(rel), lam) / size_from_rcs_m(rcs * np.exp(-rel), lam)))
    return SensorSize(sensor.name, n, lam, rcs, size, sigma)


def characterise(detections: Table, rows: NDArray, sensors: Mapping[str, Sensor],
                 estimated_teme: NDArray) -> Characterisation:
    """RCS and size of one object from its ``rows`` of ``detections`` (columns of detections.csv).

    ``estimated_teme`` (3 or 6, k): the object's estimated TEME position (and velocity) at those rows'
    times, SI; ``sensors`` by name (:func:`debriscope.sensors.parameters.sensors_from_parameters`).
    Rows of unknown sensors, without SNR or magnitude, or without a finite estimate where they need
    one (every row but a radar row with a measured range) are left out.
    """
    rows = np.asarray(rows, dtype=np.int64)
    if rows.size == 0:
        return UNKNOWN
    est = np.asarray(estimated_teme, dtype=float).reshape(-1, rows.size)
    names = np.asarray(detections["sensor"], dtype=str)[rows]
    t = np.atleast_1d(utc_to_tt_s(np.asarray(detections["time_utc"], dtype=str)[rows]))
    snr = np.asarray(db_to_ratio(np.asarray(detections["snr_db"], dtype=float)[rows]))
    mag = np.asarray(detections["magnitude"], dtype=float)[rows]
    beam = np.asarray(detections["beam"], dtype=str)[rows]
    measured = np.asarray(detections["range_m"], dtype=float)[rows] if "range_m" in detections else np.full(rows.size, np.nan)
    finite = np.all(np.isfinite(est), axis=0)
    per: list[SensorSize] = []
    for name in sorted(set(names.tolist())):
        sensor = sensors.get(name)
        usable = finite | (np.isfinite(measured) if isinstance(sensor, Radar) else False)
        sel = np.flatnonzero((names == name) & usable)
        if sensor is None or sel.size == 0:
            continue
        if isinstance(sensor, Camera):
            sel = sel[np.isfinite(mag[sel])]
            values = diameter_rows_m(sensor, t[sel], mag[sel], est[:, sel]) if sel.size else np.empty(0)
        else:
            sel = sel[np.isfinite(snr[sel]) & (snr[sel] > 0)]
            values = (rcs_rows_m2(sensor, t[sel], snr[sel], est[:, sel], beam[sel], measured[sel]) if sel.size
                      else np.empty(0))
        values = values[np.isfinite(values) & (values > 0)]
        if values.size:
            per.append(_sensor_size(sensor, values))
    if not per:
        return UNKNOWN
    w = np.array([p.n_rows for p in per], dtype=float)
    ln_size = np.log([p.size_m for p in per])
    mean_ln = float(np.sum(w * ln_size) / w.sum())
    sig = np.nan_to_num(np.array([p.sigma_ln_size for p in per]))
    statistical2 = float(np.sum(w**2 * sig**2) / w.sum() ** 2)
    scatter2 = float(np.sum(w * (ln_size - mean_ln) ** 2) / w.sum())
    radar = [p for p in per if np.isfinite(p.rcs_m2)]
    best = max(radar, key=lambda p: p.n_rows) if radar else None
    return Characterisation(
        rcs_m2=best.rcs_m2 if best else np.nan,
        rcs_wavelength_m=best.wavelength_m if best else np.nan,
        size_m=float(np.exp(mean_ln)),
        sigma_ln_size=float(np.sqrt(statistical2 + scatter2)),
        per_sensor=tuple(per),
    )


def _station_teme(station: FenceStation, t_tt_s: NDArray) -> SiteTeme:
    """A fence station's TEME geometry at times ``t_tt_s``."""
    return site_teme(station.latitude_deg, station.longitude_deg, station.altitude_m, t_tt_s)
