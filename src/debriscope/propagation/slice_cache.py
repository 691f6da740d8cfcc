"""On-disk cache of NRLMSIS density-grid slices, shared by runs and processes.

A slice (ln rho on the grid's altitude x latitude x local-time nodes at one instant; see
:class:`~debriscope.propagation.atmosphere.DensityGrid`) depends only on the NRLMSIS version and
its switches, the indices fed to it, the instant and the nodes. Building one costs 25-50 ms of
``pymsis`` calls; a 400-day run needs 800. The key is a SHA-256 of exactly those inputs (with the
index *values*, so a revised space-weather table never serves stale slices, and the ``pymsis``
version), so a hit is the slice the model would compute. Slices are stored as float32 ln(rho);
every slice, built or loaded, is rounded to float32 (ln rho of -11 to -35: at most 2e-6 relative
in density), so a run gives the same numbers with a cold or a warm cache.

Location: ``$DEBRISCOPE_CACHE_DIR`` if set (empty, ``0`` or ``off`` disables the cache), else
``$XDG_CACHE_HOME/debriscope`` or ``~/.cache/debriscope``; slices go to its ``density-slices``
folder. ``$DEBRISCOPE_CACHE_MAX_MB`` (default 1024) bounds it: the least recently used files go
first. Files are written atomically (temporary file, then rename); an unreadable or malformed file
is a miss and is replaced; a cache that cannot be written is skipped silently (it is an
optimisation, never a requirement).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import math
import os
import tempfile
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

_FORMAT = "debriscope-density-slice-1"
_DEFAULT_MAX_MB = 1024.0
_OFF = ("", "0", "off", "none", "false")
_WRITTEN = [0]
"""Bytes of slices this process has written since the folder was last scanned for pruning."""


def cache_dir() -> Path | None:
    """The cache's root folder, or None when ``$DEBRISCOPE_CACHE_DIR`` turns it off."""
    env = os.environ.get("DEBRISCOPE_CACHE_DIR")
    if env is not None:
        return None if env.strip().lower() in _OFF else Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "debriscope"


def _max_bytes() -> float:
    try:
        return float(os.environ.get("DEBRISCOPE_CACHE_MAX_MB", _DEFAULT_MAX_MB)) * 1e6
    except ValueError:
        return _DEFAULT_MAX_MB * 1e6


def slice_keys(model_key: tuple, utc_isos: list[str], indices: list[tuple], axes_key: tuple) -> list[str]:
    """Hex SHA-256 of everything a slice depends on (the model, the instant, the indices fed to
    NRLMSIS at that instant, the grid's nodes) and of this file format, for each instant: the
    digest of ``repr((format, model_key, utc_iso, indices, axes_key))``, with the repr of the
    long parts (the nodes) built once."""
    head = f"({_FORMAT!r}, {model_key!r}, "
    tail = f", {axes_key!r})"
    return [hashlib.sha256(f"{head}{utc!r}, {idx!r}{tail}".encode()).hexdigest()
            for utc, idx in zip(utc_isos, indices, strict=True)]


def to_stored_precision(logrho: NDArray) -> NDArray:
    """``logrho`` rounded to float32 (what the cache stores), C-contiguous float32."""
    return np.ascontiguousarray(logrho, dtype=np.float32)


@functools.lru_cache(maxsize=16)
def _npy_header(shape: tuple[int, ...]) -> bytes:
    """The ``.npy`` header ``np.save`` writes for a float32 array of ``shape``."""
    buf = io.BytesIO()
    np.save(buf, np.zeros(shape, dtype=np.float32), allow_pickle=False)
    return buf.getvalue()[:-4 * math.prod(shape)]


class SliceStore:
    """The ``density-slices`` folder of the cache (``root`` None: a store that holds nothing)."""

    def __init__(self, root: Path | None) -> None:
        self.folder = None if root is None else root / "density-slices"

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.npy"

    def load(self, key: str, shape: tuple[int, ...]) -> NDArray | None:
        """The slice stored under ``key`` (float32), or None (absent, unreadable, other shape).

        A file that starts with the ``.npy`` header :meth:`store` writes for ``shape`` is read
        as raw float32 after it (no header parsing); any other file goes through ``np.load``."""
        if self.folder is None:
            return None
        path = self._path(key)
        header = _npy_header(tuple(shape))
        try:
            with open(path, "rb") as fh:
                data = fh.read()
            if data.startswith(header) and len(data) == len(header) + 4 * math.prod(shape):
                arr = np.frombuffer(data, dtype="<f4", offset=len(header)).reshape(shape)
            else:
                arr = np.load(io.BytesIO(data), allow_pickle=False)
        except (OSError, ValueError, EOFError):
            return None
        if arr.dtype != np.float32 or arr.shape != tuple(shape) or not np.all(np.isfinite(arr)):
            path.unlink(missing_ok=True)
            return None
        try:
            os.utime(path)  # least-recently-used order for pruning
        except OSError:
            pass
        return np.ascontiguousarray(arr, dtype=np.float32)

    def store(self, key: str, logrho: NDArray) -> None:
        """Write a slice atomically; silently nothing if the folder cannot be written."""
        if self.folder is None:
            return
        path = self._path(key)
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                np.save(fh, np.asarray(logrho, dtype=np.float32), allow_pickle=False)
            os.replace(tmp, path)
            _WRITTEN[0] += 4 * np.asarray(logrho).size
        except OSError:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def prune(self, force: bool = False) -> None:
        """Delete the least recently used slices until the folder is within 80 % of
        ``$DEBRISCOPE_CACHE_MAX_MB`` (nothing when it is within the limit). The folder is scanned
        only once this process has written 5 % of the limit since the last scan (or ``force``),
        so a process grows the cache by at most that much beyond the limit."""
        if self.folder is None or not self.folder.is_dir():
            return
        if not force and _WRITTEN[0] < 0.05 * _max_bytes():
            return
        _WRITTEN[0] = 0
        files = []
        for sub in os.scandir(self.folder):
            if sub.is_dir():
                files.extend((e.stat().st_mtime, e.stat().st_size, e.path) for e in os.scandir(sub.path)
                             if e.name.endswith(".npy"))
        total, limit = sum(f[1] for f in files), _max_bytes()
        if total <= limit:
            return
        for _, size, path in sorted(files):
            if total <= 0.8 * limit:
                break
            try:
                os.unlink(path)
                total -= size
            except OSError:
                pass
