#!/usr/bin/env python3
"""Checks coreduce's iamc.csv against the IAMC common definitions.

Every variable and unit must be one the common definitions name (validated
with the nomenclature-iamc package against a checkout of
IAMconsortium/common-definitions), the file must load in pyam-iamc, and the
direct CO2 must add up from its energy and process parts. Regions are the
study's own (Sichuan and its cities and economic regions), which the common
list of countries and world regions does not hold, so they are not checked.

Usage: COMMON_DEFINITIONS=/path/to/common-definitions scripts/check-iamc.py [iamc.csv]
Runs where the packages (pip install nomenclature-iamc pyam-iamc) and the
definitions are present; exits 2 and says what is missing otherwise.
"""
import os
import subprocess
import sys
import tempfile


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
    print(f"check-iamc: ok ({len(df.variable)} variables, all named and in the units of the common definitions; {path})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
