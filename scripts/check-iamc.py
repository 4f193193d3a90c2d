#!/usr/bin/env python3
"""Checks coreduce's iamc.csv against the IAMC common definitions.

Every variable and unit must be one the common definitions name (validated
with the nomenclature-iamc package against a checkout of
IAMconsortium/common-definitions), the file must load in pyam-iamc, and the
direct CO2 must add up from its energy and process parts. Regions are the
study's own: its coverage (the built-in study: "Sichuan (study coverage)",
not the province, whose totals the study does not hold) and its cities and
economic regions below it, which the common list of countries and world
regions does not hold, so they are not checked against it; each city and
each economic-region level must add up to the coverage.

Usage: COMMON_DEFINITIONS=/path/to/common-definitions scripts/check-iamc.py [iamc.csv]
Runs where the packages (pip install nomenclature-iamc pyam-iamc) and the
definitions are present; exits 2 and says what is missing otherwise.
Last run with nomenclature-iamc 0.32.1, pyam-iamc 4.0.0 and
IAMconsortium/common-definitions d877b5f (2026-06-24).
"""
import os
import subprocess
import sys
import tempfile


def _levels(below):
    """Splits the regions one level below the root into cities and economic
    regions, by the economic regions' names in sectors/regions.toml."""
    import tomllib
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "sectors", "regions.toml"), "rb") as f:
        names = {r["name_en"] for r in tomllib.load(f)["region"]}
    regions = [r for r in below if r.split("|")[1] in names]
    return [r for r in below if r not in regions], regions


def main() -> int:
    try:
        import nomenclature
        import pyam
    except ImportError as e:
        print(f"check-iamc: {e.name} is not installed (pip install nomenclature-iamc pyam-iamc)", file=sys.stderr)
        return 2
    defs = os.environ.get("COMMON_DEFINITIONS", "")
    if not os.path.isdir(os.path.join(defs, "definitions")):
        print("check-iamc: set COMMON_DEFINITIONS to a checkout of IAMconsortium/common-definitions", file=sys.stderr)
        return 2
    path = sys.argv[1] if len(sys.argv) > 1 else None
    if path is None:
        out = tempfile.mkdtemp()
        subprocess.run(["cargo", "run", "--release", "--quiet", "--", "roadmap", "--out", out],
                       check=True, stdout=subprocess.DEVNULL)
        path = os.path.join(out, "iamc.csv")
    dsd = nomenclature.DataStructureDefinition(os.path.join(defs, "definitions"), dimensions=["variable"])
    df = pyam.IamDataFrame(path)
    dsd.validate(df, dimensions=["variable"])
    parts = ["Emissions|CO2|Energy|Demand|Industry", "Emissions|CO2|Industrial Processes"]
    off = df.check_aggregate("Emissions|CO2", components=parts)
    if off is not None and len(off):
        print(f"check-iamc: Emissions|CO2 is not the sum of {parts}:\n{off}", file=sys.stderr)
        return 1
    # The coverage is the sum of its cities, and of its economic regions (a
    # county level, where a study names one, is a part of its city only).
    root = min(df.region, key=len)
    below = [r for r in df.region if r.startswith(root + "|") and r.count("|") == 1]
    cities, regions = _levels(below)
    for level, subregions in (("cities", cities), ("economic regions", regions)):
        for variable in ("Emissions|Kyoto Gases", "Emissions|CO2", "Emissions|Sulfur"):
            off = df.check_aggregate_region(variable, region=root, subregions=subregions)
            if off is not None and len(off):
                print(f"check-iamc: {variable} in {root} is not the sum of its {level}:\n{off}", file=sys.stderr)
                return 1
    print(f"check-iamc: ok ({len(df.variable)} variables, all named and in the units of the common definitions; {path})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
