"""SGP4 mean elements fitted by least squares to an ephemeris: the way element sets are made.

A TLE holds SGP4 *mean* elements (Brouwer-Lyddane mean elements in the Kozai convention for the
mean motion, WGS-72 constants; Hoots & Roehrich 1980, Spacetrack Report #3; Vallado, Crawford,
Hujsak & Kelso 2006, "Revisiting Spacetrack Report #3", AIAA 2006-6753). Converting one
osculating state directly gives elements that are wrong by the short-periodic J2 terms (several
km); element sets are instead *fitted* to many positions (Vallado & Crawford 2008, "SGP4 orbit
determination", AIAA 2008-6770). This module fits ``(n, e, i, RAAN, argp, M, B*)`` to TEME
positions over a span with :func:`scipy.optimize.least_squares`, starting from the osculating
elements of the sample nearest the epoch, and reports the RMS position residual.

Time: the epoch is a UTC instant (``tt_s_to_mjd_utc``); SGP4's ``tsince`` is SI minutes elapsed
since the epoch, computed from the internal TT seconds (pre-1972 UTC seconds differed from SI
seconds by 1.3e-8, Explanatory Supplement 1992 table 3.8.1, so a reader counting UTC minutes
differs by < 4 ms over three days).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import least_squares
from sgp4.api import WGS72, Satrec

from ..elements import rv_to_elements
from ..timescale import tt_s_to_mjd_utc

MU_WGS72_KM3_S2 = 398600.8
"""Earth's GM of WGS-72, km^3/s^2 (Spacetrack Report #3; the constant SGP4 uses)."""
RHO0_KG_M2_ER = 0.15696615
"""B* reference density rho0 = 2.461e-5 kg/m^3 x 6378.135 km, kg m^-2 per Earth radius; B* =
rho0 Cd (A/m) / 2 (Vallado 2013, sec. 9.7.1 and eq. 9-40)."""
CD_GUESS = 2.2
"""Drag coefficient used only for the starting guess of B* (Vallado 2013 sec. 8.6.2)."""
MJD_OF_SGP4_EPOCH0 = 33281.0
"""MJD of 1949-12-31T00:00 UT, the origin of ``Satrec.sgp4init``'s epoch argument."""
BSTAR_TLE_MIN = 1.0e-10
"""Smallest |B*| a TLE can hold (mantissa x 10^-9 with one exponent digit); smaller fits are set to 0."""
FAILED_RESIDUAL_KM = 1.0e4
"""Residual given to a sample where SGP4 returns an error (e.g. a decayed trial orbit)."""


@dataclass(frozen=True)
class SgpFit:
    """An SGP4 fit to an ephemeris.

    Attributes
    ----------
    satrec : sgp4.api.Satrec
        The fitted element set (WGS-72, improved mode), ready for ``export_tle``.
    epoch_tt_s : float
        Epoch of the element set.
    rms_m, max_m : float
        RMS and largest position residual over the fitted samples, m.
    n_points : int
        Number of samples fitted.
    span_s : float
        Time span of the fitted samples, s.
    ok : bool
        False if the optimiser failed or SGP4 could not propagate the result over the span.
    """

    satrec: Satrec
    epoch_tt_s: float
    rms_m: float
    max_m: float
    n_points: int
    span_s: float
    ok: bool


def sgp4_epoch_days(epoch_tt_s: float) -> float:
    """Epoch argument of ``Satrec.sgp4init``: UTC days since 1949-12-31T00:00."""
    return float(tt_s_to_mjd_utc(float(epoch_tt_s))) - MJD_OF_SGP4_EPOCH0


def bstar_guess(am_m2_kg: float, cd: float = CD_GUESS) -> float:
    """B* in 1/Earth radii from an area-to-mass ratio: ``rho0 Cd A/m / 2`` (Vallado 2013 eq. 9-40)."""
    return 0.5 * RHO0_KG_M2_ER * cd * float(am_m2_kg)


def make_satrec(
    elements: NDArray,
    epoch_tt_s: float,
    satnum: int = 0,
    intldesg: str = "",
    elnum: int = 0,
    revnum: int = 0,
) -> Satrec:
    """A WGS-72 ``Satrec`` from ``[no_kozai (rad/min), ecco, inclo, nodeo, argpo, mo (rad), bstar]``."""
    no_kozai, ecco, inclo, nodeo, argpo, mo, bstar = (float(x) for x in elements)
    sat = Satrec()
    sat.sgp4init(
        WGS72,
        "i",
        int(satnum),
        sgp4_epoch_days(epoch_tt_s),
        bstar,
        0.0,
        0.0,
        ecco,
        argpo,
        inclo,
        mo,
        no_kozai,
        nodeo,
    )
    sat.intldesg = intldesg
    sat.classification = "U"
    sat.ephtype = 0
    sat.elnum = int(elnum)
    sat.revnum = int(revnum)
    return sat


def sgp4_positions(satrec: Satrec, epoch_tt_s: float, times_tt_s: NDArray) -> tuple[NDArray, NDArray]:
    """TEME positions ``(3, T)`` in m from a ``Satrec`` at internal times, and SGP4's error codes."""
    dt_days = (np.asarray(times_tt_s, dtype=float) - float(epoch_tt_s)) / 86400.0
    jd = np.full_like(dt_days, satrec.jdsatepoch)
    err, r_km, _ = satrec.sgp4_array(jd, satrec.jdsatepochF + dt_days)
    return np.asarray(r_km).T * 1000.0, np.asarray(err)


def _to_sgp4(p: NDArray) -> NDArray:
    """Fit parameters ``[n, e cos w, e sin w, i, RAAN, w + M, B*]`` -> SGP4 elements (angles wrapped)."""
    n, ex, ey, inc, raan, lam, bstar = p
    ecc = min(float(np.hypot(ex, ey)), 0.99)
    argp = float(np.mod(np.arctan2(ey, ex), 2 * np.pi))
    inc = float(np.mod(inc, 2 * np.pi))
    if inc > np.pi:  # i and 2 pi - i describe the same plane with the node turned by pi
        inc, raan = 2 * np.pi - inc, raan + np.pi
    return np.array(
        [n, ecc, inc, np.mod(raan, 2 * np.pi), argp, np.mod(lam - argp, 2 * np.pi), bstar], dtype=float
    )


def _guess(times_tt_s: NDArray, states: NDArray, epoch_tt_s: float, bstar0: float) -> NDArray:
    """Starting parameters from the osculating elements of the sample nearest the epoch."""
    k = int(np.argmin(np.abs(times_tt_s - epoch_tt_s)))
    el = rv_to_elements(states[:3, k] / 1000.0, states[3:, k] / 1000.0, mu=MU_WGS72_KM3_S2)
    a_km = float(el.a_m[0])
    n_rad_s = np.sqrt(MU_WGS72_KM3_S2 / a_km**3)
    m0 = float(el.mean_anomaly_rad[0]) + n_rad_s * (epoch_tt_s - times_tt_s[k])
    e, w = float(el.e[0]), float(el.argp_rad[0])
    return np.array(
        [
            n_rad_s * 60.0,
            e * np.cos(w),
            e * np.sin(w),
            float(el.i_rad[0]),
            float(el.raan_rad[0]),
            w + m0,
            bstar0,
        ]
    )


def fit_sgp4(
    times_tt_s: NDArray,
    states: NDArray,
    epoch_tt_s: float,
    *,
    am_m2_kg: float = 0.0,
    fit_bstar: bool = True,
    satnum: int = 0,
    intldesg: str = "",
    elnum: int = 0,
    revnum: int = 0,
) -> SgpFit:
    """Fit SGP4 mean elements to TEME positions by nonlinear least squares.

    Parameters
    ----------
    times_tt_s : (T,) array
        Sample times (internal TT seconds); non-finite states are dropped.
    states : (6, T) array
        TEME states, m and m/s (positions are fitted; the velocity of the sample nearest the
        epoch seeds the starting guess).
    epoch_tt_s : float
        Epoch of the element set.
    am_m2_kg : float
        Area-to-mass ratio, for the starting B* (:func:`bstar_guess`).
    fit_bstar : bool
        Estimate B* (True) or hold it at the guess.
    satnum, intldesg, elnum, revnum
        Catalog number, TLE international designator (``'62057A'``), element set and revolution
        numbers written into the ``Satrec``.

    Returns
    -------
    SgpFit
        Minimises ``sum |r_sgp4(t_k) - r(t_k)|^2`` over ``(n, e cos w, e sin w, i, RAAN, w + M
        [, B*])`` (non-singular for near-circular orbits); residuals in km inside the solver.
    """
    times = np.asarray(times_tt_s, dtype=float)
    states = np.asarray(states, dtype=float).reshape(6, -1)
    good = np.all(np.isfinite(states), axis=0)
    times, states = times[good], states[:, good]
    if times.size < 4:
        raise ValueError(f"an SGP4 fit needs at least 4 finite samples, got {times.size}")
    r_km = states[:3] / 1000.0
    p0 = _guess(times, states, epoch_tt_s, bstar_guess(am_m2_kg))

    def residuals(q: NDArray) -> NDArray:
        p = q if fit_bstar else np.append(q, p0[6])
        sat = make_satrec(_to_sgp4(p), epoch_tt_s)
        r_m, err = sgp4_positions(sat, epoch_tt_s, times)
        d = r_m / 1000.0 - r_km
        d[:, err != 0] = FAILED_RESIDUAL_KM
        return d.ravel()

    q0 = p0 if fit_bstar else p0[:6]
    scale = np.array([1e-6, 1e-4, 1e-4, 1e-4, 1e-4, 1e-4, 1e-5])[: q0.size]
    solution = least_squares(residuals, q0, x_scale=scale, method="lm", xtol=1e-12, ftol=1e-12, max_nfev=400)
    p = solution.x if fit_bstar else np.append(solution.x, p0[6])
    if abs(p[6]) < BSTAR_TLE_MIN:
        p[6] = 0.0
    sat = make_satrec(_to_sgp4(p), epoch_tt_s, satnum, intldesg, elnum, revnum)
    r_m, err = sgp4_positions(sat, epoch_tt_s, times)
    dist = np.linalg.norm(r_m - states[:3], axis=0)
    ok = bool(solution.success and np.all(err == 0))
    return SgpFit(
        satrec=sat,
        epoch_tt_s=float(epoch_tt_s),
        rms_m=float(np.sqrt(np.mean(dist**2))),
        max_m=float(np.max(dist)),
        n_points=int(times.size),
        span_s=float(times[-1] - times[0]),
        ok=ok,
    )


def satrec_elements(sat: Satrec) -> dict[str, float]:
    """The mean elements of a ``Satrec`` with units in the names (TLE/OMM units)."""
    return {
        "mean_motion_rev_day": sat.no_kozai * 1440.0 / (2 * np.pi),
        "eccentricity": sat.ecco,
        "inclination_deg": np.degrees(sat.inclo),
        "raan_deg": np.degrees(sat.nodeo),
        "arg_perigee_deg": np.degrees(sat.argpo),
        "mean_anomaly_deg": np.degrees(sat.mo),
        "bstar_per_er": sat.bstar,
    }
