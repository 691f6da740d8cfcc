"""Multi-pass orbit determination with drag, and alert clearing by later passes.

Truth comes from the project's own propagator (:func:`debriscope.propagation.propagate`, its
'reference' integrator with the Vallado 2013 table 8-4 exponential atmosphere and J2..J4): an
independent integration (SciPy DOP853, the density at every call) of the force model the
multi-pass fit's :func:`propagate_with_b` uses (fixed-step Runge-Kutta-Nystrom, the density
tabulated), so a ballistic coefficient B = Cd A/m must come back. Measurements are the tracker's own
measurement model plus Gaussian noise of the stated sigmas.
"""

from __future__ import annotations

import numpy as np
import pytest

from debriscope.elements import apsis_altitudes_m, period_s, rv_to_elements
from debriscope.propagation import force_model_from_parameters, propagate
from debriscope.scenario.models import truth_parameters
from debriscope.scenario.options import PropagationOptions
from debriscope.tracking.discrimination import classify
from debriscope.tracking.measurements import predict_measurements, site_geometry
from debriscope.tracking.multipass import build_object, clearance_time, fit_orbit_multipass, propagate_with_b
from debriscope.tracking.od import fit_orbit
from debriscope.tracking.revlink import PairGates, lambert_universal, link_pairs

CD = 2.2
AM_M2_KG = 0.05
"""Truth: B = Cd A/m = 0.11 m^2/kg, a mid-size fragment."""
TRUTH_OPTIONS = PropagationOptions(atmosphere="exponential", mode="reference", cd=CD)
FAN_SIGMA_DEG = np.array([43271.3, 0.2259, 0.2738, np.nan])
"""FPS-50 estimates of debriscope.sensors.sites (range m, az deg, el deg; no range rate)."""
PASS_START_H = (18.34, 19.89, 21.43)
"""Starts of three consecutive Clear passes (elevation > 3 deg) of the flagship_states orbit, h after T0."""
PASS_SPAN_S = 400.0
DRAG_EFFECT_RTOL = 0.01
"""Relative tolerance on the drag displacement over a day (measured: 0.3 %)."""
CHI2_6_999 = 22.46
"""chi-square, 6 degrees of freedom, 99.9 % quantile (Abramowitz & Stegun 1964, table 26.8)."""
TRAJECTORY_STEP_TOL_M = 20.0
"""RK4 20 s step against the reference integrator over a day, drag off: both converge to < 2 cm
with small steps (measured), the 20 s step costs ~12 m per day."""


def truth(sim, times: np.ndarray) -> np.ndarray:
    """True states (6, T) of the flagship orbit at ``times`` (increasing, > T0)."""
    x0 = sim.flagship_states(1, np.random.default_rng(0), spread_mps=0.0)
    model = force_model_from_parameters(truth_parameters(TRUTH_OPTIONS), sim.T0)
    eph = propagate(x0, sim.T0, times, np.array([AM_M2_KG]), model)
    assert eph.status[0] == 0
    return eph.states[:, :, 0].T


def pass_arcs(sim, rng: np.random.Generator, n_per_pass: int = 12):
    """Noisy tracker arcs of the three passes (elevation > 3 deg), and the truth at their times."""
    grids = [sim.T0 + 3600.0 * h + np.arange(0.0, PASS_SPAN_S, 5.0) for h in PASS_START_H]
    times = np.concatenate(grids)
    x = truth(sim, times)
    z = predict_measurements(x, site_geometry(sim.CLEAR, times))
    arcs, i0 = [], 0
    for g in grids:
        sl = slice(i0, i0 + g.size)
        vis = np.flatnonzero(np.degrees(z[2, sl]) > 3.0)
        pick = vis[np.linspace(0, vis.size - 1, n_per_pass).astype(int)]
        arcs.append(sim.noisy_arc(sim.CLEAR, g[pick], z[:, sl][:, pick], sim.TRACKER_SIGMA_DEG, rng))
        i0 += g.size
    return arcs, x[:, np.searchsorted(times, [a.t_tt_s[-1] for a in arcs])]


def test_drag_free_matches_reference_propagator(sim):
    x0 = sim.flagship_states(1, np.random.default_rng(0), spread_mps=0.0)
    times = sim.T0 + np.array([5400.0, 86400.0])
    model = force_model_from_parameters(truth_parameters(PropagationOptions(drag=False, mode="reference")), sim.T0)
    ref = propagate(x0, sim.T0, times, np.array([0.0]), model).states[:, :3, 0]
    mine = propagate_with_b(x0[:, 0], 0.0, sim.T0, times)[:, :3]
    assert np.linalg.norm(mine - ref, axis=1).max() < TRAJECTORY_STEP_TOL_M


def test_drag_lowers_the_orbit_and_matches_reference(sim):
    """With drag, after a day, the drag displacement (free - reference, hundreds of km) is
    reproduced to DRAG_EFFECT_RTOL (differences: RK4 20-s step, height from the ellipsoid radius
    at the geocentric latitude instead of the geodetic height)."""
    x0 = sim.flagship_states(1, np.random.default_rng(0), spread_mps=0.0)
    t = sim.T0 + np.array([86400.0])
    ref = truth(sim, t)[:3, 0]
    mine = propagate_with_b(x0[:, 0], CD * AM_M2_KG, sim.T0, t)[0, :3]
    free = propagate_with_b(x0[:, 0], 0.0, sim.T0, t)[0, :3]
    assert np.linalg.norm(free - ref) > 50e3
    assert np.linalg.norm(mine - ref) < DRAG_EFFECT_RTOL * np.linalg.norm(free - ref)


def test_multipass_fit_recovers_orbit_and_ballistic_coefficient(sim):
    rng = np.random.default_rng(7)
    arcs, x_true = pass_arcs(sim, rng)
    seed = fit_orbit([arcs[-1]])  # single-pass (drag-free) fit of the last pass as the start
    fit = fit_orbit_multipass(arcs, seed.state, seed.epoch_tt_s)
    assert fit.converged and 0.5 < fit.rms < 1.5
    err = fit.state - x_true[:, -1]
    assert err @ np.linalg.solve(fit.covariance, err) < CHI2_6_999
    b_true = CD * AM_M2_KG
    assert fit.b_m2_kg > 0
    assert abs(np.log(fit.b_m2_kg / b_true)) < max(3.0 * fit.sigma_ln_b, 0.1)
    assert fit.sigma_ln_b < 0.5  # the passes, not the prior (sigma 2.5), determine B


def fan_arc(sim, start_h: float, rng: np.random.Generator):
    """The low-fan (3.5 deg) and high-fan (7 deg) crossings of one rising Clear pass, FPS-50 sigmas."""
    g = sim.T0 + 3600.0 * start_h - 60.0 + np.arange(0.0, PASS_SPAN_S, 1.0)
    x = truth(sim, g)
    z = predict_measurements(x, site_geometry(sim.CLEAR, g))
    el = np.degrees(z[2])
    idx = [int(np.flatnonzero((el[:-1] < f) & (el[1:] >= f))[0]) + 1 for f in (3.5, 7.0)]
    return sim.noisy_arc(sim.CLEAR, g[idx], z[:, idx], FAN_SIGMA_DEG, rng)


@pytest.mark.parametrize("seed", [3, 4])
def test_alert_cleared_when_second_pass_is_linked(sim, seed):
    """First pass: the two fan crossings alone, which look ballistic (p_ballistic >= p_clear);
    second pass, one revolution later, with a tracking radar: the multi-pass fit clears the first
    pass's alert at the second pass's last detection."""
    p_clear = 0.01
    rng = np.random.default_rng(seed)
    arcs = [fan_arc(sim, PASS_START_H[1], rng), pass_arcs(sim, rng)[0][2]]
    single = [fit_orbit([a]) for a in arcs]
    c = classify(single[0].state, single[0].covariance, single[0].epoch_tt_s)
    assert c.p_ballistic >= p_clear
    seeds = [(f.epoch_tt_s, f.state) for f in single]
    builds = build_object([0, 1], arcs, seeds, max_rms=3.0, h_crit_m=120e3, rng=None)
    assert len(builds) == 1 and builds[0].tracks == [0, 1]
    assert builds[0].steps[0].p_ballistic >= p_clear
    assert builds[0].steps[1].classification == "orbital"
    assert clearance_time(builds[0], 0, p_clear) == pytest.approx(arcs[1].t_tt_s[-1])


def test_pass_of_another_object_is_set_aside(sim):
    """A pass of a different orbit (same plane, 2 minutes later along track) does not join."""
    rng = np.random.default_rng(11)
    arcs, _ = pass_arcs(sim, rng, n_per_pass=8)
    other = arcs[1].subset(np.arange(arcs[1].t_tt_s.size))
    shifted = type(other).from_columns(sim.CLEAR, other.t_tt_s + 120.0, other.z[0], np.degrees(other.z[1]),
                                       np.degrees(other.z[2]), other.z[3], *sim.TRACKER_SIGMA_DEG)
    arcs = [arcs[0], shifted]
    seeds = [(f.epoch_tt_s, f.state) for f in (fit_orbit([a]) for a in arcs)]
    builds = build_object([0, 1], arcs, seeds, max_rms=3.0, h_crit_m=120e3, rng=None)
    assert [b.tracks for b in builds] == [[0], [1]]


REVLINK_GATES = PairGates(max_gap_s=86400.0, min_period_s=86 * 60.0, max_period_s=110 * 60.0,
                          plane_gate_deg=15.0, max_rms=3.0)
PERIOD_TOL_MIN = 0.1
"""Period tolerance of a two-pass fan-only fit one revolution apart (the brief's; measured < 0.1 min
on seeds 5-10)."""


def _perigee_m(x: np.ndarray) -> float:
    el = rv_to_elements(x[:3, None], x[3:, None])
    return float(apsis_altitudes_m(el.a_m, el.e)[1][0])


@pytest.mark.parametrize("seed", [5, 6, 7, 8])
def test_fan_only_passes_one_rev_apart_are_linked_by_lambert(sim, seed):
    """Two fan-only passes (two noisy crossings each) of the flagship orbit, one revolution apart:
    the multi-revolution Lambert start and the two-pass fit link them and recover the orbit: the
    period within PERIOD_TOL_MIN, the state within its covariance (chi-square, 6 dof, 99.9 %) and
    the perigee within 3 of its (linearised) sigmas. Four fan points do not pin the perigee to
    ~10 km: its formal sigma is 27-160 km (measured)."""
    rng = np.random.default_rng(seed)
    arcs = [fan_arc(sim, h, rng) for h in PASS_START_H[:2]]
    seeds = [(f.epoch_tt_s, f.state) for f in (fit_orbit([a]) for a in arcs)]
    pairs = link_pairs([0, 1], arcs, seeds, REVLINK_GATES)
    assert [(a, b) for a, b, _ in pairs] == [(0, 1)]
    fit = pairs[0][2]
    x_true = truth(sim, np.array([fit.epoch_tt_s]))[:, 0]
    el_fit = rv_to_elements(fit.state[:3, None], fit.state[3:, None])
    el_true = rv_to_elements(x_true[:3, None], x_true[3:, None])
    assert abs(period_s(el_fit.a_m)[0] - period_s(el_true.a_m)[0]) / 60.0 < PERIOD_TOL_MIN
    err = fit.state - x_true
    assert err @ np.linalg.solve(fit.covariance, err) < CHI2_6_999
    steps = np.array([10.0, 10.0, 10.0, 0.01, 0.01, 0.01])
    grad = np.array([(_perigee_m(fit.state + d) - _perigee_m(fit.state - d)) / (2 * d[i])
                     for i, d in enumerate(np.diag(steps))])
    assert abs(_perigee_m(fit.state) - _perigee_m(x_true)) < 3.0 * np.sqrt(grad @ fit.covariance @ grad)


def test_fan_only_passes_of_different_orbits_are_not_linked(sim):
    """A fan-only pass of an orbit raised by 150 m/s at the event (period ~2.5 min longer), about
    one revolution after a pass of the flagship orbit, does not make one orbit with it."""
    rng = np.random.default_rng(8)
    first = fan_arc(sim, PASS_START_H[0], rng)
    # a fan-only pass of the same site from an orbit raised by 150 m/s prograde at T0
    x0 = sim.flagship_states(1, np.random.default_rng(0), spread_mps=0.0)
    x0[3:, 0] *= 1.0 + 150.0 / np.linalg.norm(x0[3:, 0])
    g = sim.T0 + 3600.0 * 19.0 + np.arange(0.0, 4 * 3600.0, 1.0)
    model = force_model_from_parameters(truth_parameters(TRUTH_OPTIONS), sim.T0)
    x = propagate(x0, sim.T0, g, np.array([AM_M2_KG]), model).states[:, :, 0].T
    el = np.degrees(predict_measurements(x, site_geometry(sim.CLEAR, g))[2])
    idx = [int(np.flatnonzero((el[:-1] < f) & (el[1:] >= f))[0]) + 1 for f in (3.5, 7.0)]
    z = predict_measurements(x[:, idx], site_geometry(sim.CLEAR, g[idx]))
    other = sim.noisy_arc(sim.CLEAR, g[idx], z, FAN_SIGMA_DEG, rng)
    arcs = [first, other]
    seeds = [(f.epoch_tt_s, f.state) for f in (fit_orbit([a]) for a in arcs)]
    assert link_pairs([0, 1], arcs, seeds, REVLINK_GATES) == []


def test_ambiguous_partner_is_not_linked(sim):
    """A pass with two acceptable partners (two noisy realisations of the next pass) is not linked."""
    rng = np.random.default_rng(5)
    arcs = [fan_arc(sim, PASS_START_H[0], rng), fan_arc(sim, PASS_START_H[1], rng), fan_arc(sim, PASS_START_H[1], rng)]
    seeds = [(f.epoch_tt_s, f.state) for f in (fit_orbit([a]) for a in arcs)]
    assert len(link_pairs([0, 1], arcs, seeds, REVLINK_GATES)) == 1
    assert len(link_pairs([0, 2], arcs, seeds, REVLINK_GATES)) == 1
    assert link_pairs([0, 1, 2], arcs, seeds, REVLINK_GATES) == []


def test_pair_cap_bounds_the_fitted_pairs(sim):
    """With ``max_pairs`` 1 only the pair with the closest planes is fitted: of the two partners of
    the ambiguous case one is never tried, so the other's link stands (the cap trades the ambiguity
    check for bounded work); with ``max_pairs`` 0 nothing is fitted."""
    rng = np.random.default_rng(5)
    arcs = [fan_arc(sim, PASS_START_H[0], rng), fan_arc(sim, PASS_START_H[1], rng), fan_arc(sim, PASS_START_H[1], rng)]
    seeds = [(f.epoch_tt_s, f.state) for f in (fit_orbit([a]) for a in arcs)]
    assert len(link_pairs([0, 1, 2], arcs, seeds, REVLINK_GATES._replace(max_pairs=1))) == 1
    assert link_pairs([0, 1, 2], arcs, seeds, REVLINK_GATES._replace(max_pairs=0)) == []


def test_pass_gate_admits_the_next_pass_and_not_another_objects(sim):
    """The pass gate on a one-pass fit: the same orbit's next pass (a revolution later, B unknown
    by a factor of 12 either way) is admitted; a pass of another object 2 minutes along track is not,
    and build_object then refits only what it admits (the same objects as without the gate)."""
    from debriscope.tracking.passgate import PassGate

    rng = np.random.default_rng(11)
    arcs, _ = pass_arcs(sim, rng, n_per_pass=8)
    other = arcs[1]
    shifted = type(other).from_columns(sim.CLEAR, other.t_tt_s + 120.0, other.z[0], np.degrees(other.z[1]),
                                       np.degrees(other.z[2]), other.z[3], *sim.TRACKER_SIGMA_DEG)
    single = fit_orbit([arcs[0]])
    fit = fit_orbit_multipass([arcs[0]], single.state, single.epoch_tt_s)
    gate = PassGate()
    ok = gate.admits(fit.state, fit.covariance, fit.b_m2_kg, fit.sigma_ln_b, fit.epoch_tt_s, [arcs[1], shifted], 3.0)
    assert ok.tolist() == [True, False]
    cand = [arcs[0], shifted, arcs[1]]
    seeds = [(f.epoch_tt_s, f.state) for f in (fit_orbit([a]) for a in cand)]
    with_gate = build_object([0, 1, 2], cand, seeds, max_rms=3.0, h_crit_m=120e3, rng=None, gate=gate)
    without = build_object([0, 1, 2], cand, seeds, max_rms=3.0, h_crit_m=120e3, rng=None)
    assert [b.tracks for b in with_gate] == [b.tracks for b in without] == [[0, 2], [1]]


def test_pair_candidates_grow_linearly_and_are_capped(sim):
    """Two-pass linking examines only the passes of each pass's time window (counted), so the
    examined pairs grow linearly with passes spread over time; ``max_partners`` caps each pass's list."""
    from debriscope.tracking.revlink import gated_pairs

    rng = np.random.default_rng(5)
    base = fan_arc(sim, PASS_START_H[0], rng)
    seed = fit_orbit([base])
    for n in (8, 32):
        # copies of one pass every 6 h (windows of 26 h hold about 4 later passes)
        arcs = [base.subset(np.arange(base.t_tt_s.size)) for _ in range(n)]
        arcs = [type(a)(a.site, a.t_tt_s + 6 * 3600.0 * k, a.z, a.sigma, a.geometry) for k, a in enumerate(arcs)]
        seeds = [(seed.epoch_tt_s + 6 * 3600.0 * k, seed.state) for k in range(n)]
        g = gated_pairs(range(n), arcs, seeds, REVLINK_GATES._replace(max_gap_s=26 * 3600.0))
        assert all(b > a for _, a, b in g.pairs) and g.pairs
        assert g.n_examined <= 5 * n  # a 26 h window holds at most 4 later passes (all pairs: n (n - 1) / 2)
    capped = gated_pairs(range(32), arcs, seeds, REVLINK_GATES._replace(max_gap_s=26 * 3600.0, max_partners=1))
    assert len(capped.pairs) <= 32


def test_pass_gate_refuses_a_pass_it_cannot_predict(sim):
    """A state whose propagation fails (a metre from the geocentre: non-finite predictions) admits
    nothing, without error."""
    from debriscope.tracking.passgate import PassGate

    arcs, _ = pass_arcs(sim, np.random.default_rng(11), n_per_pass=8)
    fit = fit_orbit([arcs[0]])
    singular = np.array([1.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    ok = PassGate().admits(singular, fit.covariance, 0.05, 2.5, fit.epoch_tt_s, [arcs[1]], 3.0)
    assert ok.tolist() == [False]


def test_refit_cap_sets_the_rest_aside(sim):
    """With max_refits 1 the object tries one candidate only: the other object's pass, which fails,
    so the true next pass is set aside unfitted and starts an object of its own."""
    rng = np.random.default_rng(11)
    arcs, _ = pass_arcs(sim, rng, n_per_pass=8)
    other = arcs[1]
    shifted = type(other).from_columns(sim.CLEAR, other.t_tt_s + 120.0, other.z[0], np.degrees(other.z[1]),
                                       np.degrees(other.z[2]), other.z[3], *sim.TRACKER_SIGMA_DEG)
    cand = [arcs[0], shifted, arcs[1]]
    seeds = [(f.epoch_tt_s, f.state) for f in (fit_orbit([a]) for a in cand)]
    capped = build_object([0, 1, 2], cand, seeds, max_rms=3.0, h_crit_m=120e3, rng=None, max_refits=1)
    assert [b.tracks for b in capped] == [[0], [1], [2]]
    assert [b.tracks for b in build_object([0, 1, 2], cand, seeds, max_rms=3.0, h_crit_m=120e3, rng=None,
                                           max_refits=2)] == [[0, 2], [1]]


def test_lambert_without_a_root_in_its_bracket_is_no_solution():
    """Near the end of a revolution interval y(psi) can turn negative between two grid points whose
    times of flight bracket the target: Brent's method then meets NaN. That is no solution (None),
    not an error that stops the stage (found on the dense collision cloud; inputs found by search)."""
    r1 = [7028488.575692292, 0.0, 0.0]
    r2 = [7041064.688421392, 2817.6621877419716, 0.0]
    assert lambert_universal(r1, r2, 1649749336752.7422, 13, True, False) is None


def test_refits_grow_linearly_with_the_chain(sim, monkeypatch):
    """A chain of n mutually inconsistent passes (one pass copied 120 s apart: 900 km along track)
    ends as n objects; each pass is refitted into at most ``max_tries`` objects (counted refits
    <= max_tries n), where without the bound every set-aside pass is tried again by every object
    started before it (n (n - 1) / 2)."""
    import debriscope.tracking.multipass as mp

    arcs, _ = pass_arcs(sim, np.random.default_rng(11), n_per_pass=8)
    a = arcs[1]
    n = 7
    cand = [type(a).from_columns(sim.CLEAR, a.t_tt_s + 120.0 * k, a.z[0], np.degrees(a.z[1]), np.degrees(a.z[2]),
                                 a.z[3], *sim.TRACKER_SIGMA_DEG) for k in range(n)]
    seeds = [(f.epoch_tt_s, f.state) for f in (fit_orbit([c]) for c in cand)]
    refits: set = set()
    fit = mp.fit_orbit_multipass

    def counted(arcs_in, *args, **kwargs):
        if len(arcs_in) > 1:
            refits.add(tuple(id(x) for x in arcs_in))
        return fit(arcs_in, *args, **kwargs)

    monkeypatch.setattr(mp, "fit_orbit_multipass", counted)
    for max_tries, bound in ((1, n), (None, n * (n - 1) // 2)):
        refits.clear()
        builds = build_object(list(range(n)), cand, seeds, max_rms=3.0, h_crit_m=120e3, rng=None, max_tries=max_tries)
        assert [b.tracks for b in builds] == [[k] for k in range(n)]
        assert len(refits) <= bound
    assert len(refits) == n * (n - 1) // 2  # the unbounded build tried every later pass against every object
