"""Radar equation and detection probability against published worked examples."""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

from debriscope.sensors.radar_equation import (
    db_to_ratio,
    draw_rcs_fluctuation,
    pd_nonfluctuating,
    pd_swerling1,
    ratio_to_db,
    snr_single_pulse,
)

C = 299792458.0
EXAMPLE_TOL_DB = 0.01
"""MathWorks prints 4 decimals and uses the same SI constants; 0.01 dB covers rounding."""
ALBERSHEIM_TOL_DB = 0.2
"""Albersheim's approximation is stated accurate to about 0.2 dB for 1e-7 < Pfa < 1e-3, 0.1 < Pd < 0.9."""


def test_mathworks_radareqsnr_examples():
    # MathWorks Radar Toolbox, radareqsnr documentation examples (uk.mathworks.com/help/radar/ref/radareqsnr.html):
    # 1 GHz, 50 km, 1 MW, 0.2 us, 20 dB gain, 1 m^2, 290 K -> 5.5868 dB
    snr1 = snr_single_pulse(50e3, 1.0, peak_power_w=1e6, gain=db_to_ratio(20), wavelength_m=C / 1e9,
                            pulse_width_s=0.2e-6, noise_temperature_k=290.0)
    assert abs(ratio_to_db(snr1) - 5.5868) < EXAMPLE_TOL_DB
    # 10 GHz, 100 km, 1 MW, 1 us, 40 dB gain, 0.5 m^2, 300 K, 3 dB loss -> 14.3778 dB
    snr2 = snr_single_pulse(100e3, 0.5, peak_power_w=1e6, gain=db_to_ratio(40), wavelength_m=C / 10e9,
                            pulse_width_s=1e-6, noise_temperature_k=300.0, losses=db_to_ratio(3))
    assert abs(ratio_to_db(snr2) - 14.3778) < EXAMPLE_TOL_DB


def test_snr_falls_as_range_to_the_fourth():
    r = np.array([500e3, 1000e3, 2000e3, 4000e3])
    snr = snr_single_pulse(r, 1.0, peak_power_w=1e6, gain=1e4, wavelength_m=0.68, pulse_width_s=1e-3,
                           noise_temperature_k=500.0)
    assert np.allclose(snr[1:] / snr[:-1], 1 / 16, rtol=1e-12)
    assert np.allclose(np.diff(ratio_to_db(snr)), -40 * np.log10(2), atol=1e-9)


def test_pd_at_zero_snr_is_pfa():
    assert np.isclose(pd_nonfluctuating(0.0, 1e-6), 1e-6, rtol=1e-9)
    assert np.isclose(pd_swerling1(0.0, 1e-6), 1e-6, rtol=1e-12)


def test_nonfluctuating_pd_is_the_noncentral_chi_square_survival_function():
    # Marcum Q_1(a, b) = P(chi'^2_2(a^2) > b^2): scipy.stats' distribution, independently of the ufunc used
    from scipy.stats import ncx2

    snr = np.concatenate([[0.0], np.logspace(-4, 3, 200)])
    for pfa in (1e-3, 1e-6, 1e-9):
        assert np.allclose(pd_nonfluctuating(snr, pfa), ncx2.sf(-2.0 * np.log(pfa), 2, 2.0 * snr), rtol=1e-9, atol=1e-15)


def test_nonfluctuating_pd_matches_albersheim():
    # Albersheim (1981), single pulse: SNR = A + 0.12 A B + 1.7 B, A = ln(0.62/Pfa), B = ln(Pd/(1-Pd))
    for pd, pfa in ((0.9, 1e-6), (0.5, 1e-4), (0.8, 1e-7)):
        a, b = np.log(0.62 / pfa), np.log(pd / (1 - pd))
        albersheim_db = 10 * np.log10(a + 0.12 * a * b + 1.7 * b)
        exact = brentq(lambda s, pd=pd, pfa=pfa: pd_nonfluctuating(s, pfa) - pd, 1e-3, 1e4)
        assert abs(10 * np.log10(exact) - albersheim_db) < ALBERSHEIM_TOL_DB


def test_swerling1_draws_average_to_the_closed_form():
    rng = np.random.default_rng(5)
    n = 200_000
    for snr in (3.0, 30.0, 300.0):
        p = pd_nonfluctuating(snr * draw_rcs_fluctuation(1, (n,), rng), 1e-6)
        closed = pd_swerling1(snr, 1e-6)
        assert abs(p.mean() - closed) < 4 * np.sqrt(closed * (1 - closed) / n) + 1e-3


def test_fluctuation_draws_have_unit_mean():
    rng = np.random.default_rng(2)
    for case in (1, 3):
        draws = draw_rcs_fluctuation(case, (100_000,), rng)
        assert abs(draws.mean() - 1) < 0.02
    assert np.all(draw_rcs_fluctuation(0, (10,), rng) == 1)
