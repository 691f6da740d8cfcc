"""Plot the flagship-like fragment cloud's A/m against Lc: docs/images/breakup_am_vs_lc.png.

Parents and masses come from the shipped scenario ``src/debriscope/scenario/data/sputnik22.toml``
(the objects with ``fragments = true``); the cloud is an explosion sampled down to Lc = 1 cm with
the model's defaults (S = 1, mass budget on, one remnant per parent).

    python tools/plot_breakup.py [--lc-min-m 0.01] [--seed 1962] [-o docs/images/breakup_am_vs_lc.png]
"""

from __future__ import annotations

import argparse
import tomllib
from importlib import resources
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from debriscope.breakup import Parent, explosion

COLORS = {"rocket_body": "tab:red", "spacecraft": "tab:blue"}


def flagship_parents() -> list[Parent]:
    text = resources.files("debriscope.scenario").joinpath("data/sputnik22.toml").read_text(encoding="utf-8")
    objects = tomllib.loads(text)["objects"]
    return [
        Parent(o["name"], o["object_class"], float(o["mass_kg"]), o.get("area_m2"))
        for o in objects
        if o.get("fragments", True)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lc-min-m", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=1962)
    parser.add_argument("-o", "--out", type=Path, default=Path("docs/images/breakup_am_vs_lc.png"))
    args = parser.parse_args()

    parents = flagship_parents()
    cloud = explosion(parents, np.random.default_rng(args.seed), lc_min_m=args.lc_min_m)
    t, s = cloud.table, cloud.summary()

    fig = Figure(figsize=(8.0, 5.6), dpi=120)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for p in parents:
        sel = (t["parent"] == p.name) & ~t["is_remnant"]
        ax.scatter(t["lc_m"][sel], t["am_m2_kg"][sel], s=3, alpha=0.35, color=COLORS[p.object_class],
                   label=f"{p.name} ({p.object_class}, {p.mass_kg:g} kg): {sel.sum()} fragments", rasterized=True)
        rem = (t["parent"] == p.name) & t["is_remnant"]
        ax.scatter(t["lc_m"][rem], t["am_m2_kg"][rem], s=90, marker="*", color=COLORS[p.object_class],
                   edgecolor="black", linewidth=0.6, zorder=3,
                   label=f"{p.name} remnant ({t['mass_kg'][rem].sum():.0f} kg)")
    for x, text in ((0.08, "8 cm"), (0.11, "11 cm")):
        ax.axvline(x, color="grey", linestyle=":", linewidth=1)
        ax.text(x, 0.97, text, transform=ax.get_xaxis_transform(), ha="center", va="top", fontsize=8, color="grey")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("characteristic length Lc (m)")
    ax.set_ylabel("area-to-mass ratio A/m (m$^2$/kg)")
    ax.set_title(
        f"NASA SBM explosion, Sputnik 22 parents (seed {args.seed}, Lc >= {args.lc_min_m:g} m): "
        f"{s['n_fragments']} pieces,\nmass budget on, {s['mass_in_fragments_kg']:.0f} kg in fragments "
        f"+ {s['mass_accounted_kg'] - s['mass_in_fragments_kg']:.0f} kg in remnants of {s['mass_total_kg']:g} kg",
        fontsize=9,
    )
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
