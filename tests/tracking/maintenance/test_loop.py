"""The maintenance loop on simulated passes: custody across gaps of days, admission, determinism.

Thirty days of Thule tracker passes two to three days apart: the object stays one object, its ballistic
coefficient is found (the filter, with a sliding-arc batch re-fit on each re-acquisition).
"""

from __future__ import annotations

import numpy as np
import pytest

from debriscope.elements import apsides_to_a_e, elements_to_rv
from debriscope.propagation import Exponential, ForceModel, propagate
from debriscope.sensors.geometry import site_teme, topocentric
from debriscope.timescale import tt_s_to_utc_iso, utc_to_tt_s
from debriscope.tracking.maintenance import (
    MaintenanceParts,
    loop,
    maintain,
    observations_from_table,
    stations_from_sensors,
)
from debriscope.tracking.maintenance.parts import CATALOGUED

T0 = float(utc_to_tt_s("1962-10-25T00:00:00Z"))
THULE = {"name": "thule_fps49", "latitude_deg": 76.570, "longitude_deg": -68.299, "altitude_m": 250.0}
SIGMA = (50.0, 0.05, 0.05, 10.0)
"""FPS-49 estimates (range m, angles deg, range rate m/s)."""
TRUE_AM = 0.01


def _model(cd: float = 2.2) -> ForceModel:
    return ForceModel(zonal_degree=4, drag=True, cd=cd, atmosphere=Exponential(), step_s=30.0, t_ref_tt_s=T0)


def _passes(days: float, keep_every_days: float, rng: np.random.Generator, apsides_km: tuple[float, float] = (400.0, 600.0),
            first: int = 3, sigma: tuple[float, ...] = SIGMA) -> dict[str, np.ndarray]:
    """Thule tracker passes (rows every 10 s above 10 deg) of one object in a 400 x 600 km orbit (or
    ``apsides_km``): the first ``first`` passes, the first a day later (admission), then one each
    ``keep_every_days``; measurement sigmas ``sigma`` (range m, angles deg, range rate m/s)."""
    a, e = apsides_to_a_e(apsides_km[0] * 1e3, apsides_km[1] * 1e3)
    r, v = elements_to_rv(a, e, np.radians(65.0), 1.0, 0.5, 0.2)
    times = T0 + np.arange(0.0, days * 86400.0, 10.0)
    eph = propagate(np.concatenate([r, v]), T0, times, [TRUE_AM], _model()).states[:, :, 0]
    site = site_teme(THULE["latitude_deg"], THULE["longitude_deg"], THULE["altitude_m"], times)
    rng_m, az, el, rate = topocentric(site, eph[:, :3].T, eph[:, 3:].T)
    up = np.degrees(el) > 10.0
    starts = np.flatnonzero(up & ~np.r_[False, up[:-1]])
    keep, next_t = [], times[starts[0]] + 1.05 * 86400.0
    for k, s in enumerate(starts):
        if k < first:
            keep.append(s)
        elif times[s] >= next_t:
            keep.append(s)
            next_t = times[s] + keep_every_days * 86400.0
    rows = np.concatenate([np.arange(s, s + np.argmin(up[s:]))[:12] for s in keep])
    n = rows.size
    z = np.stack([rng_m[rows], np.degrees(az[rows]), np.degrees(el[rows]), rate[rows]])
    z += np.array(sigma)[:, None] * rng.standard_normal(z.shape)
    return {
        "time_utc": np.asarray(tt_s_to_utc_iso(times[rows], decimals=6)), "sensor": np.full(n, "thule_fps49"),
        "measurement": np.full(n, "range_az_el_rr"), "beam": np.full(n, "tracker"),
        "needs_prediction": np.zeros(n, bool), "range_m": z[0], "azimuth_deg": np.mod(z[1], 360.0),
        "elevation_deg": z[2], "range_rate_mps": z[3], "sigma_range_m": np.full(n, sigma[0]),
        "sigma_azimuth_deg": np.full(n, sigma[1]), "sigma_elevation_deg": np.full(n, sigma[2]),
        "sigma_range_rate_mps": np.full(n, sigma[3]), "fragment_id": np.ones(n, dtype=np.int64),
    }


@pytest.fixture(scope="module")
def thirty_days():
    table = _passes(30.0, 2.0, np.random.default_rng(7))
    stations = stations_from_sensors({"radars": [THULE]})
    obs = observations_from_table(table, stations)
    model = _model(cd=2.0)  # the estimator's C_D differs from the truth's: B is solved for
    res = maintain(obs, model, MaintenanceParts(), {k[0]: v for k, v in stations.items()})
    return obs, res


def test_one_object_kept_in_custody_across_gaps_of_days(thirty_days):
    obs, res = thirty_days
    n_passes = int(obs.pass_id.max()) + 1
    assert n_passes >= 14  # two the first day, two a day later, then one every 2 days or so
    gaps = np.diff(np.array([obs.t_tt_s[obs.pass_id == p].min() for p in range(n_passes)])) / 86400.0
    assert gaps.max() > 2.5 and obs.t_tt_s[-1] - obs.t_tt_s[0] > 28 * 86400.0
    assert np.all(res.object_of_row == 0), "every pass associated with the one object"
    s = res.objects
    assert s.size == 1 and s.status[0] == CATALOGUED
    assert s.n_passes[0] == n_passes


def test_admission_only_after_the_rule_holds(thirty_days):
    obs, res = thirty_days
    s = res.objects
    first = [obs.t_tt_s[obs.pass_id == p].min() for p in range(int(obs.pass_id.max()) + 1)]
    # three passes over at least a day: not before the third pass, nor within a day of the first
    assert s.admitted_tt_s[0] >= first[2]
    assert s.admitted_tt_s[0] - first[0] >= 86400.0


def test_ballistic_coefficient_is_estimated(thirty_days):
    _, res = thirty_days
    b = float(np.exp(res.objects.ln_b[0]))
    sigma = float(np.sqrt(res.objects.cov[0, 6, 6]))
    truth = TRUE_AM * 2.2
    assert abs(np.log(b / truth)) < 3 * sigma and sigma < 0.1, (b, truth, sigma)


def test_same_inputs_same_catalog(thirty_days):
    obs, res = thirty_days
    stations = stations_from_sensors({"radars": [THULE]})
    again = maintain(obs, _model(cd=2.0), MaintenanceParts(), {k[0]: v for k, v in stations.items()})
    assert np.array_equal(again.objects.x, res.objects.x)
    assert np.array_equal(again.object_of_row, res.object_of_row)


def test_a_degenerate_tracker_pass_starts_nothing():
    """Rows of one tracker pass all at one instant (no arc to fit) start no object and raise nothing."""
    table = _passes(1.0, 2.0, np.random.default_rng(3))
    first = np.asarray(table["time_utc"])[0]
    n = 4
    degenerate = {k: np.asarray(v)[:n].copy() for k, v in table.items()}
    degenerate["time_utc"] = np.full(n, first)
    stations = stations_from_sensors({"radars": [THULE]})
    res = maintain(observations_from_table(degenerate, stations), _model(), MaintenanceParts(),
                   {k[0]: v for k, v in stations.items()})
    assert res.objects.size == 0 and np.all(res.object_of_row == -1)


def test_states_at_match_the_propagation_package():
    """A tracker pass's rows (every 4 s over 5 min) from one call of the estimator dynamics agree
    with the integrator stopped at every row to well under a tracker's noise (50 m in range,
    10 m/s in range rate): within 1 m and 5 cm/s."""
    from debriscope.tracking.maintenance.loop import states_at

    r, v = elements_to_rv(6378137.0 + 300e3, 0.01, np.radians(65.0), 0.3, 1.0, 2.0)
    x = np.concatenate([r, v])[:, 0]
    x0 = np.column_stack([x, x + np.r_[10.0, 0, 0, 0, 0.01, 0]])
    model = ForceModel(zonal_degree=4, drag=True, atmosphere=Exponential(), step_s=30.0)
    t0 = 0.0
    times = 3000.0 + 4.0 * np.arange(75)
    got = states_at(x0, t0, times, np.array([0.01, 0.02]), model)
    ref = propagate(x0, t0, times, np.array([0.01, 0.02]), model).states
    assert got.shape == ref.shape == (75, 6, 2)
    assert np.abs(got[:, :3] - ref[:, :3]).max() < 1.0
    assert np.abs(got[:, 3:] - ref[:, 3:]).max() < 0.05


def test_a_lost_object_found_again_keeps_its_number():
    """Custody is lost in a 6-day gap (lost after 3 days unseen); the passes after the gap (a few a
    day) start a
    tentative object which, once it meets the admission rule, is correlated with the lost one and
    merged into it: one number, the last passes its own, the tentative marked merged."""
    from debriscope.tracking.maintenance.parts import MERGED, Custody

    table = _passes(14.0, 0.05, np.random.default_rng(11))
    t = utc_to_tt_s(np.asarray(table["time_utc"]))
    gap = (t > t[0] + 3.0 * 86400.0) & (t < t[0] + 9.0 * 86400.0)
    table = {k: np.asarray(v)[~gap] for k, v in table.items()}
    stations = stations_from_sensors({"radars": [THULE]})
    obs = observations_from_table(table, stations)
    parts = MaintenanceParts(custody=Custody(lost_days=3.0))
    res = maintain(obs, _model(cd=2.0), parts, {k[0]: v for k, v in stations.items()})
    s = res.objects
    merged = np.flatnonzero(s.status == MERGED)
    assert merged.size >= 1, "the passes after the gap started an object that was found to be the lost one"
    assert np.all(s.merged_into[merged] == 0)
    assert s.status[0] == CATALOGUED and np.isfinite(s.admitted_tt_s[0])
    assert np.isnan(s.admitted_tt_s[1:]).all(), "no second number"
    assert not np.isin(res.object_of_row, merged).any(), "a merged object's rows are the lost object's"
    assert s.last_obs_tt_s[0] == obs.t_tt_s.max()


def test_no_correlation_without_a_lost_object_of_that_orbit():
    """Two objects in different planes: the second is numbered on its own even after the first is lost."""
    from debriscope.tracking.maintenance.loop import ObjectStore, _correlate_lost
    from debriscope.tracking.maintenance.parts import LOST, MERGED

    store = ObjectStore()
    cov = np.diag([1e6, 1e6, 1e6, 1.0, 1.0, 1.0, 0.1])
    for raan in (0.3, 0.9):  # 34 deg apart
        r, v = elements_to_rv(6378137.0 + 400e3, 0.01, np.radians(65.0), raan, 1.0, 2.0)
        store.add(np.concatenate([r, v])[:, 0], np.log(0.02), cov, T0, T0, 10, (T0, np.zeros(6), np.eye(6)))
    store.status[0], store.admitted_tt_s[0] = LOST, T0 - 86400.0
    obj_row = np.array([0, 1, 1])
    kept = _correlate_lost(store, obj_row, np.array([1]), _model(), MaintenanceParts(), T0)
    assert kept.tolist() == [1] and store.status[1] != MERGED and obj_row.tolist() == [0, 1, 1]
    store2 = ObjectStore()
    for _ in range(2):  # the same orbit: found again
        r, v = elements_to_rv(6378137.0 + 400e3, 0.01, np.radians(65.0), 0.3, 1.0, 2.0)
        store2.add(np.concatenate([r, v])[:, 0], np.log(0.02), cov, T0, T0, 10, (T0, np.zeros(6), np.eye(6)))
    store2.status[0], store2.admitted_tt_s[0] = LOST, T0 - 86400.0
    kept = _correlate_lost(store2, obj_row, np.array([1]), _model(), MaintenanceParts(), T0)
    assert kept.size == 0 and store2.merged_into[1] == 0 and obj_row.tolist() == [0, 0, 0]


def test_admissible_fragments_follow_the_admission_rule(thirty_days):
    from debriscope.tracking.maintenance.outputs import admissible_fragments
    from debriscope.tracking.maintenance.parts import Admission

    obs, _ = thirty_days
    fid = np.ones(obs.size, dtype=np.int64)
    searchable = np.ones(obs.size, dtype=bool)
    n_passes = int(obs.pass_id.max()) + 1
    assert admissible_fragments(fid, searchable, obs, Admission(min_passes=n_passes)).tolist() == [1]
    assert admissible_fragments(fid, searchable, obs, Admission(min_passes=n_passes + 1)).size == 0
    assert admissible_fragments(fid, searchable, obs, Admission(min_passes=1, min_span_days=31.0)).size == 0
    first_day = obs.t_tt_s < obs.t_tt_s[0] + 0.9 * 86400.0  # only the first day's rows searchable
    assert admissible_fragments(fid, first_day[np.argsort(obs.row)], obs, Admission(min_passes=1)).size == 0


def test_states_at_mark_a_decayed_orbit():
    """A 120 x 160 km orbit with a high A/m decays within hours: its states are NaN from there on."""
    from debriscope.tracking.maintenance.loop import states_at

    a, e = apsides_to_a_e(120e3, 160e3)
    r, v = elements_to_rv(a, e, np.radians(65.0), 0.3, 1.0, 2.0)
    x0 = np.concatenate([r, v])
    times = T0 + np.array([600.0, 86400.0, 2 * 86400.0])
    got = states_at(x0, T0, times, np.array([0.2]), _model())
    assert np.all(np.isfinite(got[0])) and np.all(np.isnan(got[1:]))


def test_a_tentative_object_takes_consistent_passes_by_the_filter(monkeypatch):
    """At 800 km (weak drag), seen by a precise tracker (10 m, 0.01 deg: the updates then move a pass
    by less than LINEAR_MAX_M), the passes of a tentative object after its first batch re-fit are
    consistent and linear, so the filter's update takes them instead of re-fitting the whole arc;
    the object stays one object."""
    table = _passes(0.9, 1.0, np.random.default_rng(3), apsides_km=(790.0, 810.0), first=8, sigma=(10.0, 0.01, 0.01, 2.0))
    stations = stations_from_sensors({"radars": [THULE]})
    obs = observations_from_table(table, stations)
    refits = []
    original = loop._batch_refit
    monkeypatch.setattr(loop, "_batch_refit", lambda store, o, *a, **k: refits.append(o) or original(store, o, *a, **k))
    res = maintain(obs, _model(cd=2.0), MaintenanceParts(), {k[0]: v for k, v in stations.items()})
    n_passes = int(obs.pass_id.max()) + 1
    assert n_passes >= 4
    assert np.all(res.object_of_row == 0) and res.objects.n_passes[0] == n_passes
    assert 1 <= len(refits) < n_passes - 1  # the second pass is re-fitted; some later ones are not
