"""OEM files read back by an independent parser: the PyPI package ``oem`` (B. Sease's CCSDS
502.0-B-2 reader), which validates header, metadata and data lines; astropy converts the epochs."""

from __future__ import annotations

import numpy as np
import pytest

from debriscope.catalog.oem import OemSegment, oem_kvn
from debriscope.elements import elements_to_rv
from debriscope.frames import teme_to_gcrf
from debriscope.timescale import tt_s_to_utc_iso, utc_to_tt_s

oem = pytest.importorskip("oem", reason="test dependency: pip install oem")

POSITION_TOL_KM = 1e-6  # written with 6 decimals in km (1 mm)
VELOCITY_TOL_KMS = 1e-9
EPOCH_TOL_S = 1e-3  # written with milliseconds


def _segment(decay_after: int | None = None) -> OemSegment:
    t0 = float(utc_to_tt_s("1962-10-24T18:56:00Z"))
    times = t0 + 60.0 * np.arange(30)
    nu = np.linspace(0, 1.2, times.size)
    r, v = elements_to_rv(6.7e6, 0.02, np.radians(64.9), 1.0, 0.4, nu)
    states = np.vstack([r, v])
    if decay_after is not None:
        states[:, decay_after:] = np.nan
    return OemSegment("SPUTNIK 22 DEB", "1962-057C", times, states)


@pytest.mark.parametrize("frame", ["TEME", "GCRF"])
def test_oem_reads_back_with_the_oem_package(tmp_path, frame):
    seg = _segment(decay_after=25)
    path = tmp_path / "x.oem"
    path.write_text(oem_kvn(seg, frame, "1962-12-01T00:00:00", "DEBRISCOPE"), encoding="utf-8")
    message = oem.OrbitEphemerisMessage.open(str(path))
    [segment] = message.segments
    assert segment.metadata["REF_FRAME"] == frame
    assert segment.metadata["TIME_SYSTEM"] == "UTC"
    assert segment.metadata["CENTER_NAME"] == "EARTH"
    assert segment.metadata["OBJECT_ID"] == "1962-057C"
    states = list(segment.states)
    assert len(states) == 25  # the decayed samples are left out
    expected = seg.states_teme[:, :25]
    if frame == "GCRF":
        r, v = teme_to_gcrf(expected[:3], expected[3:], seg.times_tt_s[:25])
        expected = np.vstack([r, v])
    got = np.array([np.concatenate([s.position, s.velocity]) for s in states]).T
    np.testing.assert_allclose(got[:3], expected[:3] / 1000.0, atol=POSITION_TOL_KM)
    np.testing.assert_allclose(got[3:], expected[3:] / 1000.0, atol=VELOCITY_TOL_KMS)
    # epochs: astropy parses the UTC strings on its own (pre-1972 UTC included)
    epochs = [s.epoch.utc.isot[:23] for s in states]
    assert epochs == [str(t)[:-1] for t in tt_s_to_utc_iso(seg.times_tt_s[:25])]
    tt_astropy_s = np.array([(s.epoch.tt.jd1 - 2451545.0 + s.epoch.tt.jd2) * 86400.0 for s in states])
    np.testing.assert_allclose(tt_astropy_s, seg.times_tt_s[:25], rtol=0, atol=EPOCH_TOL_S)


def test_gcrf_rotation_keeps_lengths():
    seg = _segment()
    r, _ = teme_to_gcrf(seg.states_teme[:3], seg.states_teme[3:], seg.times_tt_s)
    np.testing.assert_allclose(
        np.linalg.norm(r, axis=0), np.linalg.norm(seg.states_teme[:3], axis=0), rtol=1e-14
    )


def test_oem_rejects_unknown_frame_and_empty_segment():
    with pytest.raises(ValueError, match="allowed TEME, GCRF"):
        oem_kvn(_segment(), "ITRF", "x", "y")
    with pytest.raises(ValueError, match="no finite state"):
        oem_kvn(_segment(decay_after=0), "TEME", "x", "y")
