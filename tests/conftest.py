"""Shared test fixtures."""

from __future__ import annotations

import os
import tempfile
import warnings

warnings.filterwarnings("ignore", message="Local data files are older", category=UserWarning)

# The density-slice disk cache (debriscope.propagation.slice_cache) of the test session lives in a
# fresh temporary folder, never the user's; subprocesses (CLI tests) inherit it.
os.environ["DEBRISCOPE_CACHE_DIR"] = tempfile.mkdtemp(prefix="debriscope-test-cache-")
