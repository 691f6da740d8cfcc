"""The report as a person sees it: opened in headless Chromium, offline, every figure loads.

Needs Debian's ``chromium`` (``apt-get install -y chromium``); skipped only when it is absent.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PROBE = """<script>
window.addEventListener("load", () => {
  const imgs = Array.from(document.images);
  const ok = imgs.filter((i) => i.complete && i.naturalWidth > 0 && i.naturalHeight > 0).length;
  document.body.setAttribute("data-images-loaded", ok + "/" + imgs.length);
});
</script>
"""


def chromium(args: list[str], tmp_path) -> subprocess.CompletedProcess:
    """Run headless Chromium with no network, no profile and no background services."""
    cmd = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
        "--proxy-server=127.0.0.1:9", f"--user-data-dir={tmp_path / 'profile'}", *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")
def test_every_figure_loads_in_chromium(built_report, tmp_path):
    """A copy of the report with a probe script: after 'load', count the images that decoded.

    The proxy points at a closed port, so anything the page tried to fetch from elsewhere would fail.
    """
    run_dir, summary = built_report
    html = (run_dir / "report" / "report.html").read_text(encoding="utf-8")
    probe = tmp_path / "probe.html"
    probe.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    result = chromium(["--virtual-time-budget=10000", "--dump-dom", probe.as_uri()], tmp_path)
    match = re.search(r'data-images-loaded="(\d+)/(\d+)"', result.stdout)
    assert match is not None, f"no probe result; chromium said: {result.stderr[-2000:]}"
    loaded, total = int(match[1]), int(match[2])
    assert total == len(summary["figures"]) == 9
    assert loaded == total


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")
def test_screenshot_shows_the_report(built_report, tmp_path):
    """The untouched report renders to a screenshot that is not blank."""
    run_dir, _ = built_report
    shot = tmp_path / "shot.png"
    chromium(["--window-size=1100,1600", "--hide-scrollbars", f"--screenshot={shot}",
              (run_dir / "report" / "report.html").as_uri()], tmp_path)
    import matplotlib.image

    pixels = matplotlib.image.imread(shot)
    assert pixels.shape[:2] == (1600, 1100)
    assert pixels[..., :3].std() > 0.05  # text, tables and figures, not an empty page
