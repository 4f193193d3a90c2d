#!/usr/bin/env python3
"""Writes a spread (the `uncertainty` column) for the library's default factors
that have none, by stated rules, each with its basis in the factor's note
("Spread: ..."). Idempotent: a row with a spread is left as it is, so a spread
typed by hand from a source always wins. Run from the repository root:

    python3 scripts/spreads.py

Rules (issue 15):
  1. Fuel NCV, carbon content and oxidation (fuel.<table>.<fuel>.<prop>): a
     uniform spread around the value, half-width the larger of (a) the largest
     difference to the same fuel's value in another guideline table of the
     library (the tables disagree: the spread covers the alternatives) and (b)
     a stated default for the fuel's state (assumption): NCV solid +-13 % (the
     spread of solid-fuel NCVs between guideline tables, notes/factor-verification.md),
     liquid and gas +-3 %; carbon content solid +-5 %, liquid and gas +-2 %;
     oxidation +-0.02 (capped at 1).
  2. Grid factors of a yearly series (grid.<region>.<kind>.<year>): uniform,
     half-width the larger of the largest difference to another year of the
     series (a single year's factor stands for a hydro-dependent mix that moves
     from year to year: Sichuan 0.1255 to 0.1564 tCO2/MWh in two years) and 5 %;
     other grid factors +-10 % (assumption).
  3. Sector factors with a range in the reference notes or the guideline
     alternatives they name (listed in SECTOR below with their basis).
Everything else keeps no spread; `coreduce factors check` lists the factors a
sector method uses without one.
"""
import csv
import glob
import io
from decimal import Decimal as D

SOLID = {"anthracite", "bituminous_coal", "briquette", "coke", "lignite", "other_washed_coal",
         "raw_coal", "washed_coal", "biomass_pellet"}
LIQUID = {"crude_benzene", "crude_oil", "diesel", "fuel_oil", "gasoline", "kerosene", "lng",
          "lpg", "tar"}

# id -> (distribution, basis). Values from the notes in ../shared/reference.
SECTOR = {
    "al.ipcc2006.t1_cf4.cwpb": ("triangular:0.004;0.4;1.92",
        "IPCC 2006 Vol. 3 Table 4.15 gives the CWPB Tier 1 PFC uncertainty as -99 %...+380 % "
        "(notes/aluminium-and-ceramics.md, verified-in-source); read as the ends of a triangular "
        "distribution with its mode at the default (the table gives a range, not a shape)"),
    "al.ipcc2006.t1_c2f6.cwpb": ("triangular:0.0004;0.04;0.192",
        "the CWPB Tier 1 PFC range of IPCC 2006 Table 4.15 (-99 %...+380 %), applied to C2F6 "
        "as to CF4 (assumption: the table states one range for the CWPB defaults)"),
    "tb.n2o.ef1": ("uniform:0.004;0.016",
        "covers the 2019 Refinement's EF1 for synthetic N in wet climates, 0.016 "
        "(notes/baijiu-and-tobacco.md); symmetric around the 2006 default"),
    "tb.n2o.ef4": ("uniform:0.006;0.014",
        "covers the 2019 Refinement's EF4, 0.014 (notes/baijiu-and-tobacco.md); symmetric"),
    "tb.n2o.ef5": ("uniform:0.004;0.011",
        "covers the 2019 Refinement's EF5, 0.011 (notes/baijiu-and-tobacco.md); symmetric"),
    "tb.n2o.frac_gasf": ("uniform:0.09;0.11",
        "covers the 2019 Refinement's Frac_GASF, 0.11 (notes/baijiu-and-tobacco.md); symmetric"),
    "tb.n2o.frac_leach": ("uniform:0.24;0.36",
        "covers the 2019 Refinement's Frac_LEACH, 0.24 (notes/baijiu-and-tobacco.md); symmetric"),
    "al.energy.gb21346_2022.liquid_total_ac.g2": ("uniform:13250;13700",
        "the range of GB 21346-2022 grades 1 to 3 for 铝液综合交流电耗 (13250-13700 kWh/t, "
        "the library's own al.energy.gb21346_2022.liquid_total_ac.g1 and .g3)"),
    "ww.b0": ("uniform:0.175;0.325",
        "assumption: +-30 %, the order IPCC 2006 Vol. 5 Ch. 6 gives for B0 (not checked "
        "against the table here); Chinese measured industrial plants sit far lower "
        "(ww.ch4_ef_cn_industrial_measured)"),
    "ww.mcf.anaerobic_reactor": ("triangular:0.7;0.8;1.0",
        "assumption: the MCF may reach 1 where the reactor is fully anaerobic and lower "
        "where it is not; IPCC 2006 Table 6.8 gives a range of this order (not checked here)"),
    "ww.mcf.anaerobic_digester": ("triangular:0.7;0.8;1.0",
        "assumption, as ww.mcf.anaerobic_reactor"),
    "ww.mcf.lagoon_deep": ("triangular:0.7;0.8;1.0", "assumption, as ww.mcf.anaerobic_reactor"),
    "ww.mcf.lagoon_shallow": ("triangular:0;0.2;0.3",
        "assumption: a range of the order IPCC 2006 Table 6.8 gives (not checked here)"),
    "ww.mcf.aerobic_poor": ("triangular:0.2;0.3;0.4",
        "assumption: a range of the order IPCC 2006 Table 6.8 gives (not checked here)"),
    "ww.mcf.river": ("triangular:0;0.1;0.2",
        "assumption: a range of the order IPCC 2006 Table 6.8 gives (not checked here)"),
}


def fmt(x):
    x = D(x).quantize(D("0.000001")).normalize()
    return format(x, "f")


def uniform(v, half, cap=None):
    lo = max(v - half, D(0))
    hi = v + half
    if cap is not None:
        hi = min(hi, cap)
    return f"uniform:{fmt(lo)};{fmt(hi)}"


def main():
    paths = sorted(glob.glob("factors/*/factors.csv"))
    tables = {}
    rows_of = {}
    for p in paths:
        with open(p, newline="", encoding="utf-8") as f:
            text = f.read()
        rows = list(csv.DictReader(io.StringIO(text)))
        header = text.splitlines()[0].split(",")
        rows_of[p] = (header, rows)
        for r in rows:
            parts = r["id"].split(".")
            if parts[0] == "fuel" and len(parts) == 4:
                tables.setdefault((parts[2], parts[3]), []).append(D(r["value"]))
    series = {}
    for p, (_, rows) in rows_of.items():
        for r in rows:
            parts = r["id"].split(".")
            if parts[0] == "grid" and parts[-1].isdigit():
                series.setdefault(".".join(parts[:-1]), []).append(D(r["value"]))
    changed = 0
    for p, (header, rows) in rows_of.items():
        for r in rows:
            if r["uncertainty"].strip() or "Spread:" in r["note"]:
                continue
            parts = r["id"].split(".")
            v = D(r["value"])
            spread = basis = None
            if parts[0] == "fuel" and len(parts) == 4 and parts[3] in ("ncv", "cc", "of"):
                fuel, prop = parts[2], parts[3]
                state = "solid" if fuel in SOLID else "liquid" if fuel in LIQUID else "gas"
                others = [x for x in tables[(fuel, prop)]]
                d_tables = max((abs(x - v) for x in others), default=D(0))
                if prop == "of":
                    d_state = D("0.02")
                    stated = "+-0.02"
                else:
                    pct = {"ncv": {"solid": 13, "liquid": 3, "gas": 3},
                           "cc": {"solid": 5, "liquid": 2, "gas": 2}}[prop][state]
                    d_state = v * pct / 100
                    stated = f"+-{pct} % for a {state} fuel"
                if d_tables > d_state:
                    spread = uniform(v, d_tables, D(1) if prop == "of" else None)
                    basis = (f"uniform +-{fmt(d_tables)}, the largest difference to this fuel's "
                             f"value in another guideline table of the library (the tables "
                             f"disagree: the spread covers the alternatives); coreduce-derived")
                else:
                    spread = uniform(v, d_state, D(1) if prop == "of" else None)
                    basis = (f"assumption: {stated} (the guideline tables agree or give one "
                             f"value; solid-fuel NCVs differ by up to +-13 % between tables, "
                             f"notes/factor-verification.md)")
            elif parts[0] == "grid" and v > 0:
                key = ".".join(parts[:-1])
                if parts[-1].isdigit() and len(series.get(key, [])) > 1:
                    d_years = max(abs(x - v) for x in series[key])
                    half = max(d_years, v * D("0.05"))
                    spread = uniform(v, half)
                    basis = (f"uniform +-{fmt(half)}: the larger of the largest difference to "
                             f"another year of {key}.* and 5 % (a year's factor stands for a "
                             f"mix that moves with hydropower); coreduce-derived")
                else:
                    spread = uniform(v, v * D("0.10"))
                    basis = "assumption: +-10 % (no other year or source to compare)"
            elif r["id"] in SECTOR:
                spread, basis = SECTOR[r["id"]]
            if spread:
                r["uncertainty"] = spread
                note = r["note"].rstrip()
                r["note"] = (note + " " if note else "") + f"Spread: {basis}."
                changed += 1
        out = io.StringIO()
        w = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        with open(p, "w", newline="", encoding="utf-8") as f:
            f.write(out.getvalue())
    print(f"{changed} factors given a spread")


if __name__ == "__main__":
    main()
