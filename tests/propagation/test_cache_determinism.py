"""Same seed, same bytes, whatever Numba's cache holds (issue 20, defect 2).

The first run after installing compiles the kernels in the process; later runs load them from
Numba's on-disk cache. A small propagation (decay prediction with and without the averaged
phase, and an ephemeris) runs in a fresh interpreter with an empty ``NUMBA_CACHE_DIR``, then in
another with that same, now filled, folder: the outputs must be the same bytes. Slow by nature:
the first interpreter compiles every kernel (minutes).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import debriscope

SCRIPT = """
import sys
import numpy as np
from debriscope.elements import apsides_to_a_e, elements_to_rv
from debriscope.propagation import Exponential, ForceModel, predict_decay, propagate
from debriscope.timescale import utc_to_tt_s

t0 = float(utc_to_tt_s("1962-10-24T19:00:00Z"))
rng = np.random.default_rng(1)
n = 24
a, e = apsides_to_a_e(180e3, 485e3)
r, v = elements_to_rv(a, e, np.radians(64.9), 0.0, 0.0, 0.0)
state = np.repeat(np.vstack([r, v]), n, axis=1)
state[3:] += rng.normal(0.0, 30.0, (3, n))
am = 10 ** rng.uniform(-2.5, -0.5, n)
parts = []
for averaged in (True, False):
    model = ForceModel(atmosphere=Exponential(), t_ref_tt_s=t0, averaged=averaged)
    result = predict_decay(state, t0, am, model, 30.0)
    parts += [result.decay_tt_s.tobytes(), np.asarray(result.status).tobytes()]
model = ForceModel(atmosphere=Exponential(), t_ref_tt_s=t0)
parts.append(propagate(state[:, :6], t0, t0 + np.arange(0.0, 86400.0, 3600.0), am[:6], model).states.tobytes())
open(sys.argv[1], "wb").write(b"".join(parts))
"""


def _run(cache_dir: Path, out: Path) -> bytes:
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache_dir), "DEBRISCOPE_CACHE_DIR": "off",
           "PYTHONPATH": str(Path(debriscope.__file__).resolve().parents[1])}
    subprocess.run([sys.executable, "-c", SCRIPT, str(out)], env=env, check=True, timeout=3600)
    return out.read_bytes()


def test_compiled_and_cached_kernels_give_the_same_bytes(tmp_path):
    cache = tmp_path / "numba-cache"
    cache.mkdir()
    fresh = _run(cache, tmp_path / "fresh.bin")  # every kernel compiled in the process
    assert any(cache.rglob("*.nbc"))  # ... and written to the cache
    cached = _run(cache, tmp_path / "cached.bin")  # every kernel loaded from it
    assert len(fresh) > 0 and fresh == cached
