"""[[uncertainty]] tables: validation with errors naming the key, and the realisations drawn."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debriscope.errors import ScenarioError
from debriscope.scenario import load, parse
from debriscope.scenario.uncertainty import (
    UncertainInput,
    draw_realisation,
    parse_key,
    realisation_seed_sequence,
)

from .conftest import flagship_without_uncertainty

BASE = flagship_without_uncertainty()


def _with(table: str):
    return parse(BASE + "\n[[uncertainty]]\n" + table + "\n")


@pytest.mark.parametrize(("table", "key", "words"), [
    ('key = "propagation.nope"\ndistribution = "normal"\nsd = 1.0', "uncertainty[0].key", "unknown key 'nope'"),
    ('key = "propagation.cd"\ndistribution = "gauss"\nsd = 1.0', "uncertainty[0].distribution", "allowed"),
    ('key = "propagation.cd"\ndistribution = "uniform"\nlow = 1.0', "uncertainty[0].high", "upper bound"),
    ('key = "propagation.cd"\ndistribution = "uniform"\nlow = 2.0\nhigh = 1.0', "uncertainty[0].high", "> low"),
    ('key = "propagation.cd"\ndistribution = "log_uniform"\nlow = 0.0\nhigh = 1.0', "uncertainty[0].low", "> 0"),
    ('key = "propagation.cd"\ndistribution = "normal"\nsd = -1.0', "uncertainty[0].sd", "> 0"),
    ('key = "propagation.cd"\ndistribution = "normal"\nsd = 1.0\nlow = 0.5', "uncertainty[0].low", "not a parameter"),
    ('key = "propagation.cd"\ndistribution = "choice"', "uncertainty[0].values", "at least one"),
    ('key = \'objects["X"].mass_kg\'\ndistribution = "normal"\nsd = 1.0', "uncertainty[0].key", "no entry 'X'"),
    ('key = "objects.mass_kg"\ndistribution = "normal"\nsd = 1.0', "uncertainty[0].key", "array of tables"),
    ('key = "seed"\ndistribution = "normal"\nsd = 1.0', "uncertainty[0].key", "not uncertain inputs"),
    ('key = "propagation.mode"\ndistribution = "normal"\nsd = 1.0', "uncertainty[0].key", "must name a number"),
    ('key = "propagation.cd"\ndistribution = "normal"\nsd = inf', "uncertainty[0].sd", "finite"),
])
def test_bad_tables_name_the_key(table, key, words):
    with pytest.raises(ScenarioError) as err:
        _with(table)
    assert err.value.key == key and words in str(err.value)


def test_duplicate_key_is_refused():
    table = 'key = "propagation.cd"\ndistribution = "normal"\nsd = 0.1\n'
    with pytest.raises(ScenarioError, match="at most once"):
        parse(BASE + "\n[[uncertainty]]\n" + table + "\n[[uncertainty]]\n" + table)


def test_invalid_draw_names_the_entry_and_suggests_bounds():
    sc = _with('key = "propagation.cd"\ndistribution = "normal"\nsd = 5.0')
    with pytest.raises(ScenarioError, match=r"uncertainty\[0\] \(propagation.cd\).*truncated_normal"):
        for i in range(100):
            draw_realisation(sc, i)


def test_keys_parse():
    assert parse_key("propagation.cd") == ["propagation", "cd"]
    assert parse_key('objects["2MV-4 No.1"].mass_kg') == ["objects", "2MV-4 No.1", "mass_kg"]
    assert parse_key("objects[1].mass_kg") == ["objects", 1, "mass_kg"]
    for bad in ("", "a..b", ".a", "a[x]", "a b"):
        with pytest.raises(KeyError):
            parse_key(bad)


def test_realisation_draws_depend_on_seed_and_index_only(small_scenario):
    a, drawn_a = draw_realisation(small_scenario, 7)
    b, drawn_b = draw_realisation(small_scenario, 7)
    c, _ = draw_realisation(small_scenario, 8)
    assert a == b and drawn_a == drawn_b and a.seed != c.seed
    assert a.uncertainty == () and a.name.endswith("-r00007")
    # the realisation's SeedSequence is the i-th child of SeedSequence(seed).spawn(n), any n > i
    for n in (8, 100):
        child = np.random.SeedSequence(small_scenario.seed).spawn(n)[7]
        assert np.array_equal(child.generate_state(4), realisation_seed_sequence(small_scenario.seed, 7).generate_state(4))
    assert a.propagation.cd == drawn_a["propagation.cd"]
    assert a.objects[0].mass_kg == drawn_a['objects["Blok L"].mass_kg']
    assert 1.8 <= a.propagation.cd <= 2.8


def test_choice_draws_follow_their_weights():
    sc = _with('key = "propagation.msis_version"\ndistribution = "choice"\nvalues = ["00", "2.1"]\n'
               'weights = [1.0, 3.0]')
    values = [draw_realisation(sc, i)[0].propagation.msis_version for i in range(400)]
    share = values.count("2.1") / len(values)
    assert abs(share - 0.75) < 4 * np.sqrt(0.75 * 0.25 / 400)


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(u=st.floats(min_value=0.0, max_value=1.0, exclude_max=True), lo=finite, width=st.floats(1e-3, 1e6),
       mean=finite, sd=st.floats(1e-3, 1e5))
def test_quantiles_stay_inside_their_support(u, lo, width, mean, sd):
    hi = lo + width
    uniform = UncertainInput(key="k", distribution="uniform", low=lo, high=hi)
    assert lo <= uniform.quantile(u, None) <= hi
    trunc = UncertainInput(key="k", distribution="truncated_normal", sd=sd, low=lo, high=hi)
    assert lo - 1e-9 * abs(hi) - 1e-9 <= trunc.quantile(u, mean) <= hi + 1e-9 * abs(hi) + 1e-9
    if lo > 0:
        logu = UncertainInput(key="k", distribution="log_uniform", low=lo, high=hi)
        assert lo * (1 - 1e-12) <= logu.quantile(u, None) <= hi * (1 + 1e-12)


def test_flagship_uncertainties_draw_valid_realisations():
    sc = load("sputnik22")
    assert {u.key for u in sc.uncertainty} >= {"event.time_after_launch_s", "propagation.cd"}
    assert all(u.source for u in sc.uncertainty)
    for i in range(20):
        realised, drawn = draw_realisation(sc, i)
        assert 3607.0 <= realised.event.time_after_launch_s <= 3727.0
        assert realised.propagation.msis_version in ("00", "2.0", "2.1")
