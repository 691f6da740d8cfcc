"""Ensemble statistics against known distributions and hand-made cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from debriscope.ensemble import statistics as st


@pytest.mark.parametrize("q", [0.05, 0.5, 0.95])
def test_quantiles_of_a_known_distribution_within_their_standard_error(q):
    # 200 ensembles of 400 draws from a lognormal: the estimate lies within 1 SE of the true
    # quantile in ~68 % of them and within 2 SE in ~95 % (Conover's order-statistic interval)
    rng = np.random.default_rng(2026)
    truth = stats.lognorm(s=0.5).ppf(q)
    errors = []
    for _ in range(200):
        value, se = st.quantile_with_se(rng.lognormal(0.0, 0.5, 400), q)
        errors.append(abs(value - truth) / se)
    errors = np.array(errors)
    assert 0.55 <= np.mean(errors <= 1.0) <= 0.85
    assert np.mean(errors <= 2.0) >= 0.9


def test_mean_and_its_standard_error():
    rng = np.random.default_rng(1)
    x = rng.normal(10.0, 2.0, 10_000)
    d = st.describe(x)
    assert d["n"] == 10_000 and abs(d["mean"] - 10.0) < 3 * d["mean_se"]
    assert d["mean_se"] == pytest.approx(2.0 / 100.0, rel=0.05)
    assert st.describe([math.nan, math.nan]) == {"n": 0}


def test_spearman_finds_monotonic_dependence_and_ignores_constants():
    rng = np.random.default_rng(3)
    a = rng.random(200)
    noise = rng.random(200)
    y = np.exp(3 * a) + 0.01 * noise
    out = st.spearman(y, {"a": a, "noise": noise, "const": np.ones(200)})
    assert out["a"]["rho"] > 0.99 and abs(out["noise"]["rho"]) < 0.2
    assert math.isnan(out["const"]["rho"])


def test_choice_inputs_are_encoded_by_position():
    assert st.encode_input(["2.1", "00", "2.0"], ("00", "2.0", "2.1")).tolist() == [2.0, 0.0, 1.0]


def test_lifetimes_by_size():
    lc = np.array([0.05, 0.06, 0.15, 0.15, 2.0])
    life = np.array([1.0, 3.0, 10.0, np.nan, 100.0])
    out = st.lifetimes_by_size(lc, life)
    assert out["count"].tolist() == [2, 2, 0, 0, 1]
    assert out["median_lifetime_days"][0] == 2.0 and out["last_decay_days"][0] == 3.0
    assert math.isnan(out["last_decay_days"][1])  # one of the two never decayed: unknown
    assert out["last_decay_days"][4] == 100.0


def test_gabbard_envelope_and_bands():
    bins = np.array([90.0, 91.0, 92.0])
    top, bottom = st.gabbard_envelope([90.5, 90.2, 91.5, np.nan], [400, 500, 600, 700], [200, 150, 300, 100], bins)
    assert top.tolist() == [500.0, 600.0] and bottom.tolist() == [150.0, 300.0]
    bands = st.percentile_bands(np.array([[1.0, np.nan], [3.0, np.nan]]))
    assert bands[1, 0] == 2.0 and np.isnan(bands[:, 1]).all()
