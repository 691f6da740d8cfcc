"""The cloud carried from the other event state of a partial burn (lifetimes_burn_vs_parking.csv)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from debriscope.propagation.burn_lifetimes import lifetime_quantile_days
from debriscope.propagation.stage import run_stage
from debriscope.runfolder import BURN_LIFETIMES_FILE, RunContext
from debriscope.scenario.models import truth_parameters
from debriscope.scenario.options import PropagationOptions
from debriscope.tables import read_csv, write_csv

EPOCH = "1962-10-24T19:00:00Z"


def _state_dict(state):
    return {"r_teme_m": [float(x) for x in state[:3]], "v_teme_mps": [float(x) for x in state[3:]]}


def _run_folder(tmp_path, parent, am, burn_end, applied=False):
    """Fragments = the applied event state + an ejection of 10 m/s radial (fragment 1) and 0 (fragment 2)."""
    parking = parent
    own = burn_end if applied else parking
    n = len(am)
    dv = np.zeros((6, n))
    dv[3:, 0] = 10.0 * own[:3] / np.linalg.norm(own[:3])
    state0 = own[:, None] + dv
    cols = ("x_teme_m", "y_teme_m", "z_teme_m", "vx_teme_mps", "vy_teme_mps", "vz_teme_mps")
    table = {"fragment_id": np.arange(1, n + 1), "parent": np.full(n, "blok_l"), "am_m2_kg": np.asarray(am)}
    table.update({c: state0[k] for k, c in enumerate(cols)})
    table["epoch_utc"] = np.full(n, EPOCH)
    write_csv(tmp_path / "fragments.csv", table)
    event = {"frame": "TEME", "event": {"time_utc": EPOCH, "burn": {
        "applied": applied, "parking_orbit_state": _state_dict(parking), "burn_end_state": _state_dict(burn_end)}},
        "parents": [{"name": "blok_l", **_state_dict(own)}]}
    (tmp_path / "event.json").write_text(json.dumps(event))
    (tmp_path / "models.json").write_text(json.dumps({"truth": truth_parameters(PropagationOptions())}))


def _ctx(tmp_path, mission=True, compare=True):
    options = PropagationOptions(max_days=3.0, snapshot_days=())
    scenario = SimpleNamespace(propagation=options,
                               mission=SimpleNamespace(compare_lifetimes=compare) if mission else None)
    return RunContext(tmp_path, scenario, np.random.default_rng(0))


def _prograde(state, dv_mps):
    out = state.copy()
    out[3:] += dv_mps * state[3:] / np.linalg.norm(state[3:])
    return out


def test_same_state_both_ways_gives_the_same_lifetimes(tmp_path, state0):
    # the other cloud is the run's own cloud when both event states coincide: same numbers, bit for bit
    _run_folder(tmp_path, state0[:, 0], [0.3, 0.05], state0[:, 0])
    run_stage(_ctx(tmp_path))
    table = read_csv(tmp_path / BURN_LIFETIMES_FILE)
    decay = read_csv(tmp_path / "decay.csv")
    np.testing.assert_array_equal(table["lifetime_days_parking_orbit"], decay["lifetime_days"])
    np.testing.assert_array_equal(table["lifetime_days_after_burn"], decay["lifetime_days"])
    assert table["status_after_burn"].tolist() == decay["status"].tolist()


@pytest.mark.parametrize("applied", [False, True])
def test_a_perigee_burn_lengthens_the_lives(tmp_path, state0, applied):
    """180 x 485 km at perigee, +200 m/s prograde: the apogee rises to ~1,230 km, every life lengthens;
    the columns follow the case, not which one the run applied."""
    burnt = _prograde(state0[:, 0], 200.0)
    _run_folder(tmp_path, state0[:, 0], [0.3, 0.05], burnt, applied=applied)
    summary = run_stage(_ctx(tmp_path))
    table = read_csv(tmp_path / BURN_LIFETIMES_FILE)
    parking = table["lifetime_days_parking_orbit"]
    after = np.where(np.isfinite(table["lifetime_days_after_burn"]), table["lifetime_days_after_burn"], np.inf)
    assert np.isfinite(parking[0]) and np.all(after[np.isfinite(parking)] > parking[np.isfinite(parking)])
    comparison = summary["burn_comparison"]
    assert comparison["applied"] == ("after_burn" if applied else "parking_orbit")
    assert comparison["parking_orbit"]["event_perigee_km"] == pytest.approx(180.0, abs=1.0)
    assert comparison["parking_orbit"]["event_apogee_km"] == pytest.approx(485.0, abs=1.0)
    assert comparison["after_burn"]["event_apogee_km"] > 1100.0
    own = read_csv(tmp_path / "decay.csv")["lifetime_days"]
    column = table["lifetime_days_after_burn" if applied else "lifetime_days_parking_orbit"]
    np.testing.assert_array_equal(column, own)


@pytest.mark.parametrize(("mission", "compare"), [(False, True), (True, False)])
def test_no_mission_or_switched_off_no_comparison(tmp_path, state0, mission, compare):
    _run_folder(tmp_path, state0[:, 0], [0.3], _prograde(state0[:, 0], 200.0))
    summary = run_stage(_ctx(tmp_path, mission=mission, compare=compare))
    assert "burn_comparison" not in summary and not (tmp_path / BURN_LIFETIMES_FILE).exists()


def test_quantile_of_a_censored_sample():
    life = np.array([3.0, 1.0, np.nan, 2.0, np.nan])
    assert lifetime_quantile_days(life, 0.2) == 1.0
    assert lifetime_quantile_days(life, 0.6) == 3.0
    assert lifetime_quantile_days(life, 0.61) is None  # among the fragments still in orbit
    assert lifetime_quantile_days(np.array([np.nan]), 0.5) is None


@given(st.lists(st.one_of(st.floats(0.0, 400.0), st.just(float("nan"))), min_size=1, max_size=40),
       st.floats(0.01, 1.0))
def test_quantile_is_numpys_inverted_cdf(values, q):
    life = np.array(values)
    expected = np.quantile(np.where(np.isnan(life), np.inf, life), q, method="inverted_cdf")
    got = lifetime_quantile_days(life, q)
    assert (got is None) if np.isinf(expected) else got == expected


def test_fragments_of_an_unknown_parent_are_refused(tmp_path, state0):
    from debriscope.propagation.burn_lifetimes import compare_lifetimes

    event = {"event": {"burn": {"applied": False, "parking_orbit_state": _state_dict(state0[:, 0]),
                                "burn_end_state": _state_dict(state0[:, 0])}},
             "parents": [{"name": "blok_l", **_state_dict(state0[:, 0])}]}
    with pytest.raises(ValueError, match="probe"):
        compare_lifetimes(event, np.array(["probe"]), state0, 0.0, np.array([0.01]), np.array([1.0]),
                          np.array([1]), None, 1.0)
