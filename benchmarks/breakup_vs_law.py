"""The breakup's fragment counts and masses against the NASA Standard Breakup Model's own laws.

Prints, for the four cases of the side-by-side run with ESA's C++ implementation (issue 18) and for
the flagship's two parents: the law's expected count; the sampled fragments' mass against the
parent's with no budget; and, with the budget on, the count per run against the law under both
policies ('resample', the default, and 'truncate'), the fragments whose A/m was drawn again, the
mass in fragments and in remnants, and the largest fragment. Then the A/m and size figures that
docs/breakup.md quotes, each computed from the model's equations. Every number in docs/breakup.md
that describes the breakup's output comes from this command.

    python benchmarks/breakup_vs_law.py [--runs 200]
"""

from __future__ import annotations

import argparse
import math
import warnings

import numpy as np
from scipy.special import ndtr

from debriscope.breakup import Parent, collision, explosion
from debriscope.breakup.area_to_mass import area_from_lc, sample_log_am, spacecraft_parameters
from debriscope.breakup.size import (
    COLLISION_EXPONENT,
    collision_reference_mass,
    expected_count,
    lc_from_area_m,
    parent_lc_max_m,
    sample_lc,
    stochastic_round,
)
from debriscope.errors import ModelValidityWarning

CASES = {
    "rocket-body explosion 900 kg, Lc >= 5 cm": lambda rng, **kw: explosion(
        [Parent("RB", "rocket_body", 900.0)], rng, lc_min_m=0.05, **kw),
    "spacecraft explosion 900 kg, Lc >= 1 cm": lambda rng, **kw: explosion(
        [Parent("SC", "spacecraft", 900.0)], rng, lc_min_m=0.01, **kw),
    "catastrophic collision 1000 + 10 kg at 10 km/s, Lc >= 5 cm": lambda rng, **kw: collision(
        Parent("T", "spacecraft", 1000.0), Parent("P", "spacecraft", 10.0), 10_000.0, rng, lc_min_m=0.05, **kw),
    "non-catastrophic collision 1000 + 1 kg at 5 km/s, Lc >= 5 cm": lambda rng, **kw: collision(
        Parent("T", "spacecraft", 1000.0), Parent("P", "spacecraft", 1.0), 5_000.0, rng, lc_min_m=0.05, **kw),
}
FLAGSHIP = [Parent("Blok L", "rocket_body", 900.0, 5.8), Parent("2MV-4 No.1", "spacecraft", 893.5, 4.0)]


def pct(x, q) -> float:
    return float(np.percentile(x, q))


def run_case(make, runs: int) -> None:
    stats = {}
    for mode, kw in (("none", dict(mass_budget=False)), ("truncate", dict(mass_budget_policy="truncate")),
                     ("resample", dict(mass_budget_policy="resample"))):
        rows = []
        for seed in range(runs):
            cloud = make(np.random.default_rng(seed), **kw)
            t, o = cloud.table, cloud.outcomes
            frag = ~t["is_remnant"]
            rows.append((
                sum(x.n_fragments for x in o), sum(x.expected_count for x in o), sum(x.mass_kg for x in o),
                math.fsum(t["mass_kg"][frag]), math.fsum(t["mass_kg"][~frag]), sum(x.n_am_redrawn for x in o),
                sum(x.n_fragments < x.n_drawn for x in o) > 0, t["lc_m"][frag].max(), t["mass_kg"][frag].max(),
                cloud.summary()["mass_accounted_fraction"], sum(x.budget_kg for x in o),
                any(math.fsum(t["mass_kg"][frag & (t["parent"] == x.name)]) > x.budget_kg for x in o),
            ))
        stats[mode] = np.array(rows, dtype=float)
    law, parent_kg, budget_kg = stats["none"][0, 1], stats["none"][0, 2], stats["none"][0, 10]
    free = stats["none"][:, 3] / budget_kg
    print(f"  law: {law:.1f} fragments per run (Poisson sd {math.sqrt(law):.1f}); parents {parent_kg:g} kg, "
          f"of which {budget_kg:g} kg may fragment")
    print(f"  no budget : fragments weigh {100 * free.mean():.0f} % of that on average "
          f"(10-90 %: {100 * pct(free, 10):.0f}-{100 * pct(free, 90):.0f} %); "
          f"{100 * stats['none'][:, 11].mean():.0f} % of runs exceed a body's budget")
    for mode in ("truncate", "resample"):
        s = stats[mode]
        n = s[:, 0]
        extra = (f"{100 * s[:, 6].mean():.0f} % of runs trimmed" if mode == "truncate" else
                 f"{s[:, 5].mean():.2f} fragments' A/m redrawn per run (max {s[:, 5].max():.0f}), "
                 f"{100 * np.mean(s[:, 5] > 0):.0f} % of runs")
        print(f"  {mode:9s} : {n.mean():.1f} +- {n.std():.1f} fragments per run = {100 * n.mean() / law:.1f} % of the law; "
              f"{extra}")
        print(f"              mass in fragments {s[:, 3].mean():.1f} kg, in remnants {s[:, 4].mean():.1f} kg (means); "
              f"accounted {s[:, 9].min():.9f}-{s[:, 9].max():.9f} of the parents")
        print(f"              largest fragment per run: Lc median {np.median(s[:, 7]):.2f} m (max {s[:, 7].max():.2f}), "
              f"mass median {np.median(s[:, 8]):.1f} kg (max {s[:, 8].max():.1f})")


def esa_style_non_catastrophic(runs: int) -> None:
    """The non-catastrophic case drawn as the ESA/TUM code draws it: the law's count for M, every size
    up to the larger body's Lc, the larger body's A/m class; debriscope's own samplers."""
    m_t, m_p, v = 1000.0, 1.0, 5_000.0
    reference, _, _ = collision_reference_mass(m_t, m_p, v)
    lc_max = parent_lc_max_m(m_t)
    n_law = expected_count(0.05, 1e9, COLLISION_EXPONENT, 0.1 * reference**0.75)
    largest_lc, largest_m, total = [], [], []
    for seed in range(runs):
        rng = np.random.default_rng(seed)
        lc = sample_lc(rng, stochastic_round(rng, n_law), 0.05, lc_max, COLLISION_EXPONENT)
        mass = area_from_lc(lc) / 10.0 ** sample_log_am(rng, lc, False)
        largest_lc.append(lc.max())
        largest_m.append(mass.max())
        total.append(mass.sum())
    print(f"  ESA-style draw (sizes up to the target's {lc_max:.2f} m, M = {reference:g} kg): largest fragment Lc "
          f"median {np.median(largest_lc):.2f} m (max {max(largest_lc):.2f}), mass median {np.median(largest_m):.1f} kg "
          f"(max {max(largest_m):.0f}); fragments weigh {np.median(total):.0f} kg median, "
          f"{100 * np.mean(np.array(total) > reference):.0f} % of runs above M")


def flagship(runs: int) -> None:
    for lc_min in (0.05, 0.01):
        free = [[], []]
        kept = [[], []]
        for seed in range(runs):
            for store, kw in ((free, dict(mass_budget=False)), (kept, {})):
                cloud = explosion(FLAGSHIP, np.random.default_rng(seed), lc_min_m=lc_min, **kw)
                t = cloud.table
                for k, p in enumerate(FLAGSHIP):
                    sel = (t["parent"] == p.name) & ~t["is_remnant"]
                    store[k].append((math.fsum(t["mass_kg"][sel]), sel.sum(), cloud.outcomes[k].n_am_redrawn))
        for k, p in enumerate(FLAGSHIP):
            f, b = np.array(free[k]), np.array(kept[k])
            print(f"  {p.name:11s} Lc >= {100 * lc_min:.0f} cm: fragments weigh median {np.median(f[:, 0]):.0f} kg of "
                  f"{p.mass_kg:g} (10-90 %: {pct(f[:, 0], 10):.0f}-{pct(f[:, 0], 90):.0f}); over the budget in "
                  f"{100 * np.mean(f[:, 0] > p.mass_kg):.0f} % of runs; with the budget: median {np.median(b[:, 0]):.0f} kg, "
                  f"remnant median {p.mass_kg - np.median(b[:, 0]):.0f} kg, A/m redrawn in {100 * np.mean(b[:, 2] > 0):.0f} % "
                  f"of runs; count {b[:, 1].mean():.1f} vs {f[:, 1].mean():.1f} without budget")


def am_figures() -> None:
    alpha, mu1, s1, mu2, s2 = (float(x) for x in spacecraft_parameters(0.0))  # eq. 6 at Lc = 1 m
    boost = lambda s: math.exp((s * math.log(10.0)) ** 2 / 2)  # noqa: E731  E[10^-X] = 10^-mu exp((s ln10)^2 / 2)
    high, low = alpha * 10.0**-mu1 * boost(s1), (1 - alpha) * 10.0**-mu2 * boost(s2)
    print(f"  spacecraft fragment of Lc = 1 m (eq. 6): low-A/m mode (mu {mu2}) holds {100 * (1 - alpha):.0f} % of the "
          f"fragments and {100 * low / (low + high):.0f} % of their mass")
    mean, sd = alpha * mu1 + (1 - alpha) * mu2, math.hypot(alpha * s1, (1 - alpha) * s2)
    for cut in (-1.6, -1.8):
        mixture = alpha * ndtr((cut - mu1) / s1) + (1 - alpha) * ndtr((cut - mu2) / s2)
        print(f"  P(A/m < 10^{cut}): mixture {100 * mixture:.1f} %, weighted sum "
              f"10^(alpha X1 + (1-alpha) X2) {100 * ndtr((cut - mean) / sd):.1f} %")
    areas = np.linspace(1.0, 20.0, 191)
    smaller = 1 - 2 * np.sqrt(areas / math.pi) / lc_from_area_m(areas)
    print(f"  largest fragment from a parent's area: 2 sqrt(A/pi) (ESA/TUM) is {100 * smaller.min():.1f}-"
          f"{100 * smaller.max():.1f} % smaller than the inverse of eq. 9 for A = 1-20 m^2")
    for p in FLAGSHIP:
        print(f"    {p.name}: {p.area_m2} m^2 -> {float(lc_from_area_m(p.area_m2)):.2f} m (eq. 9 inverse) vs "
              f"{2 * math.sqrt(p.area_m2 / math.pi):.2f} m (circle)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="seeds per case (0 .. runs-1)")
    args = parser.parse_args()
    warnings.simplefilter("ignore", ModelValidityWarning)
    for name, make in CASES.items():
        print(name)
        run_case(make, args.runs)
    print("non-catastrophic collision, sizes bounded as the ESA/TUM code bounds them")
    esa_style_non_catastrophic(args.runs)
    print(f"flagship parents (sputnik22.toml), {min(args.runs, 50)} seeds")
    flagship(min(args.runs, 50))
    print("A/m and size figures quoted in docs/breakup.md")
    am_figures()


if __name__ == "__main__":
    main()
