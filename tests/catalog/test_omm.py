"""OMM round trips: KVN and XML back through ``sgp4.omm`` to the same element set."""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sgp4 import omm as sgp4_omm
from sgp4.api import Satrec

from debriscope.catalog.omm import omm_fields, omm_kvn, omm_xml
from debriscope.catalog.tle_fit import make_satrec
from debriscope.kvn import parse_omm_kvn
from debriscope.timescale import utc_to_tt_s

T0 = float(utc_to_tt_s("1962-10-24T19:26:00Z"))
POSITION_TOL_KM = 1e-4
"""The OMM epoch carries microseconds (sgp4's EPOCH format): <= 1 us x 8 km/s = 8 mm."""


def _sat(elements=(0.0687, 0.0182, 1.132, 1.0, 0.4, 2.9, 6.2e-3), satnum=445):
    return make_satrec(np.array(elements), T0, satnum, "62057C", 3, 12)


def _same_orbit(a: Satrec, b: Satrec):
    for name in ("satnum", "elnum", "revnum", "ecco", "inclo", "nodeo", "argpo", "mo", "no_kozai", "bstar"):
        assert getattr(a, name) == pytest.approx(getattr(b, name), rel=1e-12, abs=1e-15), name
    assert b.intldesg == a.intldesg
    jd = np.full(5, a.jdsatepoch)
    fr = a.jdsatepochF + np.linspace(0, 1.0, 5)
    ea, ra, _ = a.sgp4_array(jd, fr)
    eb, rb, _ = b.sgp4_array(jd, fr)
    np.testing.assert_array_equal(ea, eb)  # a trial orbit may decay inside SGP4: both the same way
    assert ea[0] == 0
    assert np.max(np.abs(ra - rb)[ea == 0]) < POSITION_TOL_KM


def test_xml_round_trip_through_sgp4_omm():
    sats = [_sat(), _sat(satnum=446)]
    text = omm_xml([omm_fields(s, "SPUTNIK 22 DEB") for s in sats], "1962-12-01T00:00:00", "DEBRISCOPE")
    parsed = list(sgp4_omm.parse_xml(io.StringIO(text)))
    assert len(parsed) == 2
    assert parsed[0]["REF_FRAME"] == "TEME" and parsed[0]["TIME_SYSTEM"] == "UTC"
    assert parsed[0]["MEAN_ELEMENT_THEORY"] == "SGP4" and parsed[0]["OBJECT_ID"] == "1962-057C"
    for sat, fields in zip(sats, parsed, strict=True):
        back = Satrec()
        sgp4_omm.initialize(back, fields)
        _same_orbit(sat, back)


@settings(max_examples=40, deadline=None)
@given(
    n=st.floats(0.055, 0.066),  # rad/min: a = 6906..7480 km
    e=st.floats(0.0, 0.02),  # perigee above 6760 km: in orbit at the epoch
    i=st.floats(0.0, np.pi),
    angles=st.tuples(*[st.floats(0.0, 2 * np.pi - 1e-9)] * 3),
    bstar=st.floats(-1e-2, 1e-1),
)
def test_kvn_round_trip_through_sgp4_omm(n, e, i, angles, bstar):
    sat = _sat((n, e, i, *angles, bstar))
    text = omm_kvn([omm_fields(sat, "SPUTNIK 22 DEB")], "1962-12-01T00:00:00", "DEBRISCOPE")
    [fields] = parse_omm_kvn(text)
    assert fields["CCSDS_OMM_VERS"] == "2.0" and fields["REF_FRAME"] == "TEME"
    back = Satrec()
    sgp4_omm.initialize(back, fields)
    _same_orbit(sat, back)


@given(st.dictionaries(st.from_regex(r"[A-Z][A-Z0-9_]{0,20}", fullmatch=True).filter(lambda k: k != "CCSDS_OMM_VERS"),
                       st.from_regex(r"[A-Za-z0-9.+\-:]([A-Za-z0-9.+\-: ]{0,30}[A-Za-z0-9.+\-:])?", fullmatch=True),
                       max_size=8))  # fmt: skip
def test_kvn_parser_reads_any_keyword_value_lines(fields):
    text = "CCSDS_OMM_VERS = 2.0\n" + "".join(
        f"{k} = {v} [unit]\n\nCOMMENT free text\n" for k, v in fields.items()
    )
    [parsed] = parse_omm_kvn(text)
    assert parsed == {"CCSDS_OMM_VERS": "2.0", **fields}


def test_kvn_parser_rejects_garbage():
    with pytest.raises(ValueError, match="before CCSDS_OMM_VERS"):
        parse_omm_kvn("OBJECT_NAME = X\n")
    with pytest.raises(ValueError, match="line 2"):
        parse_omm_kvn("CCSDS_OMM_VERS = 2.0\nnot a keyword line\n")
