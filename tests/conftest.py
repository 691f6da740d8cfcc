"""Shared test fixtures."""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
import warnings

warnings.filterwarnings("ignore", message="Local data files are older", category=UserWarning)

# The density-slice disk cache (debriscope.propagation.slice_cache) of the test session lives in a
# fresh temporary folder, never the user's; subprocesses (CLI tests) inherit it.
os.environ["DEBRISCOPE_CACHE_DIR"] = tempfile.mkdtemp(prefix="debriscope-test-cache-")
atexit.register(functools.partial(shutil.rmtree, os.environ["DEBRISCOPE_CACHE_DIR"], ignore_errors=True))
