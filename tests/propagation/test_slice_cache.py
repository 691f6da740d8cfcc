"""The on-disk cache of NRLMSIS density slices (debriscope.propagation.slice_cache)."""

from __future__ import annotations

import numpy as np
import pytest

from debriscope.propagation import atmosphere as atm
from debriscope.propagation import slice_cache
from debriscope.timescale import utc_to_tt_s

T0 = float(utc_to_tt_s("1962-12-01T00:00:00Z"))


def _grid(f107: float = 97.0, ap: float = 11.0) -> atm.DensityGrid:
    return atm.DensityGrid.starting(atm.Nrlmsis("2.1", atm.ConstantIndices(f107, ap)), T0).banded(20.0)


def _files(root):
    return sorted((root / "density-slices").rglob("*.npy"))


def test_cold_then_warm_gives_identical_slices_without_building(tmp_path, monkeypatch):
    """A cold call builds the slices and stores one file each; after the process memo is cleared
    the same slices come from disk, bit for bit, without calling NRLMSIS."""
    monkeypatch.setenv("DEBRISCOPE_CACHE_DIR", str(tmp_path))
    grid = _grid()
    atm.clear_slice_cache()
    cold = grid.slices(0, 2)
    assert len(_files(tmp_path)) == 3
    atm.clear_slice_cache()

    def no_build(*args):
        raise AssertionError("built although cached")

    monkeypatch.setattr(atm, "_build_slice", no_build)
    monkeypatch.setattr(atm, "_pool", lambda: None)
    warm = grid.slices(0, 2)
    np.testing.assert_array_equal(warm, cold)
    assert warm.dtype == np.float64


def test_slices_hold_the_model_values_to_float32(tmp_path, monkeypatch):
    """Stored precision: ln(rho) (-11 to -35 here) rounded to float32 (2^-24 relative), i.e. the
    density within 2.1e-6 relative of NRLMSIS's."""
    monkeypatch.setenv("DEBRISCOPE_CACHE_DIR", str(tmp_path))
    grid = _grid()
    ax = grid.axes
    key = (tuple(ax.alt_km.tolist()), ax.lat0_deg, ax.dlat_deg, ax.nlat, ax.dlst_h, ax.nlst)
    exact = atm._build_slice(grid.model, grid.t_origin_tt_s + 0.5 * grid.slice_s, key)
    atm.clear_slice_cache()
    np.testing.assert_allclose(grid.slices(0, 0)[0], exact, rtol=1e-7, atol=0)
    assert np.max(np.abs(np.exp(grid.slices(0, 0)[0] - exact) - 1)) < 2.1e-6


def test_key_depends_on_indices_model_and_instant(tmp_path, monkeypatch):
    """Other indices, another NRLMSIS version or another slice give other files: a hit is always
    the slice the model would compute."""
    monkeypatch.setenv("DEBRISCOPE_CACHE_DIR", str(tmp_path))
    atm.clear_slice_cache()
    _grid(97.0, 11.0).slices(0, 0)
    _grid(97.0, 12.0).slices(0, 0)
    _grid(150.0, 11.0).slices(0, 0)
    _grid(97.0, 11.0).slices(1, 1)
    other = atm.DensityGrid.starting(atm.Nrlmsis("00", atm.ConstantIndices(97.0, 11.0)), T0).banded(20.0)
    other.slices(0, 0)
    assert len(_files(tmp_path)) == 5


def test_bad_files_are_misses_and_get_replaced(tmp_path, monkeypatch):
    """A truncated or wrongly shaped file is not used: the slice is rebuilt and rewritten."""
    monkeypatch.setenv("DEBRISCOPE_CACHE_DIR", str(tmp_path))
    grid = _grid()
    atm.clear_slice_cache()
    good = grid.slices(0, 0)
    (path,) = _files(tmp_path)
    path.write_bytes(b"\x93NUMPY garbage")
    atm.clear_slice_cache()
    np.testing.assert_array_equal(grid.slices(0, 0), good)
    np.save(path, np.zeros((2, 2), dtype=np.float32))
    atm.clear_slice_cache()
    np.testing.assert_array_equal(grid.slices(0, 0), good)
    assert np.load(path).shape == good.shape[1:]


@pytest.mark.parametrize("value", ["off", "", "0"])
def test_cache_can_be_turned_off(tmp_path, monkeypatch, value):
    monkeypatch.setenv("DEBRISCOPE_CACHE_DIR", value)
    monkeypatch.chdir(tmp_path)
    assert slice_cache.cache_dir() is None
    atm.clear_slice_cache()
    _grid().slices(0, 0)
    assert not list(tmp_path.rglob("*.npy"))


def test_default_location_follows_xdg(tmp_path, monkeypatch):
    monkeypatch.delenv("DEBRISCOPE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert slice_cache.cache_dir() == tmp_path / "debriscope"


def test_unwritable_cache_is_skipped(tmp_path, monkeypatch):
    """A cache folder that cannot be created (here: a file in its place) costs nothing but speed."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("DEBRISCOPE_CACHE_DIR", str(blocker))
    atm.clear_slice_cache()
    assert np.all(np.isfinite(_grid().slices(0, 1)))


def test_prune_removes_least_recently_used_first(tmp_path, monkeypatch):
    """Over ``DEBRISCOPE_CACHE_MAX_MB`` the oldest files go until the folder is within 80 %."""
    import os

    store = slice_cache.SliceStore(tmp_path)
    arr = np.zeros((100, 100))  # 40 kB as float32
    for k in range(5):
        key = f"{k:02d}" + "0" * 62
        store.store(key, arr)
        os.utime(store._path(key), (1e9 + k, 1e9 + k))
    monkeypatch.setenv("DEBRISCOPE_CACHE_MAX_MB", "0.15")  # 5 x 40,128 B > 150 kB: prune to 120 kB
    store.prune(force=True)
    assert sorted(p.name[:2] for p in _files(tmp_path)) == ["03", "04"]  # 3 files are 120,384 B
    assert store.load("04" + "0" * 62, (100, 100)) is not None
    assert store.load("00" + "0" * 62, (100, 100)) is None


def test_prune_scans_only_after_enough_writes(tmp_path, monkeypatch):
    """Without ``force`` the folder is scanned only once 5 % of the limit has been written by this
    process since the last scan: an over-full folder is left alone until then, and then the least
    recently used files go."""
    import os

    store = slice_cache.SliceStore(tmp_path)
    monkeypatch.setattr(slice_cache, "_WRITTEN", [0])
    store.store("aa" + "0" * 62, np.zeros((200, 100)))  # 80 kB
    os.utime(store._path("aa" + "0" * 62), (1e9, 1e9))
    monkeypatch.setenv("DEBRISCOPE_CACHE_MAX_MB", "0.06")  # 60 kB (over it): scan after 3 kB written
    slice_cache._WRITTEN[0] = 0
    store.prune()
    assert len(_files(tmp_path)) == 1  # over the limit, but nothing written since the last scan
    store.store("bb" + "0" * 62, np.zeros((100, 100)))  # 40 kB written, 120 kB in the folder
    store.prune()
    assert [p.name[:2] for p in _files(tmp_path)] == ["bb"]  # the older file went: 40 kB <= 48 kB


def test_keys_are_the_digest_of_the_documented_repr():
    """``slice_keys`` builds the repr of the grid's nodes once per call; each key stays the SHA-256
    of repr((format, model key, UTC instant, indices, nodes)), so files written before stay hits."""
    import hashlib

    model_key = ("nrlmsis", "2.1", False, "0.10.0")
    axes = (tuple(np.linspace(80.0, 1000.0, 73).tolist()), -90.0, 7.5, 25, 1.0, 24)
    utc = ["1962-10-24T06:00:00.000", "1962-10-24T18:00:00.000"]
    fed = [(89.8, 88.8, (27.0, 15.0, 12.0)), (89.8, 88.8, (27.0, 15.0, 9.0))]
    expected = [hashlib.sha256(repr((slice_cache._FORMAT, model_key, u, i, axes)).encode()).hexdigest()
                for u, i in zip(utc, fed, strict=True)]
    assert slice_cache.slice_keys(model_key, utc, fed, axes) == expected
    assert expected[0] != expected[1]


def test_a_file_with_another_npy_header_goes_through_np_load(tmp_path):
    """The fast read applies only to files with the header the store writes; a valid file of
    another ``.npy`` version is read by ``np.load``, and a truncated one is a miss."""
    store = slice_cache.SliceStore(tmp_path)
    key = "ab" + "0" * 62
    arr = (np.arange(24.0).reshape(2, 3, 4) - 30.0).astype(np.float32)
    path = store._path(key)
    path.parent.mkdir(parents=True)
    with open(path, "wb") as fh:
        np.lib.format.write_array(fh, arr, version=(2, 0))
    np.testing.assert_array_equal(store.load(key, (2, 3, 4)), arr)
    store.store(key, arr)
    assert path.read_bytes().startswith(slice_cache._npy_header((2, 3, 4)))
    np.testing.assert_array_equal(store.load(key, (2, 3, 4)), arr)
    path.write_bytes(path.read_bytes()[:-4])
    assert store.load(key, (2, 3, 4)) is None


def test_slices_are_stacked_into_a_fitting_array(tmp_path, monkeypatch):
    """``DensityGrid.slices`` writes into ``out`` when its shape fits (the decay loop reuses one
    array across chunks) with the values of a fresh stack, and ignores one that does not fit."""
    monkeypatch.setenv("DEBRISCOPE_CACHE_DIR", str(tmp_path))
    grid = _grid()
    fresh = grid.slices(0, 2)
    buf = np.full_like(fresh, np.nan)
    assert grid.slices(0, 2, buf) is buf
    np.testing.assert_array_equal(buf, fresh)
    other = grid.slices(1, 2, buf)
    assert other is not buf and other.shape[0] == 2
    np.testing.assert_array_equal(other, fresh[1:])
