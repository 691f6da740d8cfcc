"""The partial burn: the rocket equation without gravity, and the flagship's event state with the
option on and off (off: the event state is exactly the coasting parking orbit's)."""

from __future__ import annotations

import numpy as np
import pytest

from debriscope.constants import G0_MPS2
from debriscope.elements import apsis_altitudes_m, rv_to_elements
from debriscope.scenario import event_geometry, load, parse
from debriscope.scenario.burn import finite_burn
from debriscope.scenario.launch import ignition_state
from debriscope.scenario.load import _read_text


def test_rocket_equation_without_gravity():
    state = np.array([7e6, 0.0, 0.0, 0.0, 7.5e3, 0.0])
    out, mass = finite_burn(state, 17.0, 69e3, 340.0, 5893.5, gravity=False)
    mdot = 69e3 / (340.0 * G0_MPS2)
    assert mass == pytest.approx(5893.5 - 17.0 * mdot, rel=1e-10)
    dv = 340.0 * G0_MPS2 * np.log(5893.5 / mass)  # Tsiolkovsky
    assert np.linalg.norm(out[3:]) - 7.5e3 == pytest.approx(dv, rel=1e-8)
    assert out[4] > 7.5e3 and out[3] == pytest.approx(0.0) and out[5] == pytest.approx(0.0)


def test_burn_that_needs_more_propellant_than_there_is():
    with pytest.raises(ValueError, match="uses more than"):
        finite_burn(np.array([7e6, 0, 0, 0, 7.5e3, 0.0]), 300.0, 69e3, 340.0, 5000.0)


def test_flagship_event_with_and_without_the_burn():
    off = load("sputnik22")
    text = _read_text("sputnik22")[0].replace("applied = false", "applied = true")
    on = parse(text)
    g_off, g_on = event_geometry(off), event_geometry(on)
    assert g_off.t_tt_s == g_on.t_tt_s
    ign = ignition_state(on)
    assert g_on.t_tt_s - ign.t_tt_s == pytest.approx(17.0)
    gained = np.linalg.norm(g_on.state_teme[3:]) - np.linalg.norm(g_off.state_teme[3:])
    assert 150.0 < gained < 260.0  # ~205 m/s by the rocket equation, less the small gravity difference
    el_off = rv_to_elements(g_off.state_teme[:3], g_off.state_teme[3:])
    el_on = rv_to_elements(g_on.state_teme[:3], g_on.state_teme[3:])
    assert el_on.a_m[0] > el_off.a_m[0] + 150e3
    apo_off, _ = apsis_altitudes_m(el_off.a_m, el_off.e)
    assert apo_off[0] / 1e3 == pytest.approx(485.0, abs=15.0)  # off: still the parking orbit


def test_event_record_carries_both_event_states():
    """event.json holds the coasting and the burnt event state whichever one ``applied`` chose (the
    propagation stage carries the cloud from the other); the parents take the applied one."""
    from debriscope.scenario.stage import event_record

    text = _read_text("sputnik22")[0]
    records = {applied: event_record(parse(text.replace("applied = false", f"applied = {str(applied).lower()}")))
               for applied in (False, True)}
    g = {applied: event_geometry(parse(text.replace("applied = false", f"applied = {str(applied).lower()}")))
         for applied in (False, True)}
    for applied, record in records.items():
        burn = record["event"]["burn"]
        assert burn["applied"] is applied
        for key, state in (("parking_orbit_state", g[False].state_teme), ("burn_end_state", g[True].state_teme)):
            np.testing.assert_allclose(burn[key]["r_teme_m"], state[:3], rtol=0, atol=1e-6)
            np.testing.assert_allclose(burn[key]["v_teme_mps"], state[3:], rtol=0, atol=1e-9)
        parent = record["parents"][0]
        own = burn["burn_end_state" if applied else "parking_orbit_state"]
        assert parent["r_teme_m"] == own["r_teme_m"] and parent["v_teme_mps"] == own["v_teme_mps"]
