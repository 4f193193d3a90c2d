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
    # --- issue 15, second round: every factor a sector method uses (any
    # technology under any edition), as `coreduce factors check` lists them.
    "al.mee2024.anode_nc": ("uniform:0.3699;0.4521",
        "uniform +-10 %, the uncertainty IPCC 2006 Vol. 3 Table 4.10 gives the default-based prebake "
        "CO2 factor (a default net anode consumption standing in for a plant that does not measure "
        "it; notes/aluminium-and-ceramics.md §1.3); it covers the alternatives 0.398 (implied by W11), "
        "0.40 (IPCC Tier 2) and 0.42 (NDRC 2013)"),
    "al.ndrc2013.anode_nc": ("uniform:0.378;0.462",
        "uniform +-10 %, as al.mee2024.anode_nc (IPCC 2006 Vol. 3 Table 4.10, +-10 % for the "
        "default-based prebake CO2 factor); covers 0.398-0.411 of the 2024 sources"),
    "al.ipcc2006.anode_nc": ("uniform:0.36;0.44",
        "uniform +-10 %, as al.mee2024.anode_nc (IPCC 2006 Vol. 3 Table 4.10, +-10 % for the "
        "default-based prebake CO2 factor)"),
    "al.mee2024.anode_sulfur": ("uniform:1;3",
        "assumption: 1-3 % (anode sulfur follows the petroleum coke; no source gives a spread); "
        "it moves anode CO2 by +-1 % only"),
    "al.ndrc2013.anode_sulfur": ("uniform:1;3", "assumption, as al.mee2024.anode_sulfur"),
    "al.ipcc2006.anode_sulfur": ("uniform:1;3", "assumption, as al.mee2024.anode_sulfur"),
    "al.mee2024.anode_ash": ("uniform:0.2;0.6",
        "assumption: +-50 % (no source gives a spread); it moves anode CO2 by +-0.2 % only"),
    "al.ndrc2013.anode_ash": ("uniform:0.2;0.6", "assumption, as al.mee2024.anode_ash"),
    "al.ipcc2006.anode_ash": ("uniform:0.2;0.6", "assumption, as al.mee2024.anode_ash"),
    "al.ghgp.green_to_baked_ratio": ("uniform:1.03;1.08",
        "assumption: +-2.5 % (pitch content and baking loss vary by plant; the workbook gives one "
        "default and no spread)"),
    "al.mee2024.cf4": ("triangular:0.00034;0.034;0.1632",
        "assumption: the IPCC 2006 Tier 1 CWPB PFC range (-99 %...+380 %, Vol. 3 Table 4.15) applied "
        "to the guideline default, which stands in for a plant that does not measure its anode "
        "effects; it covers W11's draft-based PFC intensity (0.1454 against 0.263 tCO2e/t, -45 %); "
        "triangular with its mode at the default"),
    "al.mee2024.c2f6": ("triangular:0.000034;0.0034;0.01632",
        "assumption, as al.mee2024.cf4 (the CWPB Tier 1 range of IPCC 2006 Table 4.15)"),
    "al.ndrc2013.cf4": ("triangular:0.00034;0.034;0.1632",
        "assumption, as al.mee2024.cf4 (the CWPB Tier 1 range of IPCC 2006 Table 4.15)"),
    "al.ndrc2013.c2f6": ("triangular:0.000034;0.0034;0.034",
        "the low end and mode as al.mee2024.cf4 (the CWPB Tier 1 range of IPCC 2006 Table 4.15, an "
        "assumption); the high end is the 0.034 of one transcription, the conflicting alternative "
        "(notes/factor-verification.md §2 takes it for a slip; the spread covers it all the same)"),
    "cer.ndrc2013.ef_mgco3": ("uniform:0.522;0.524",
        "covers the conflicting transcription 0.524 and the stoichiometric 44.01/84.31 = 0.52200"),
    "al.ipcc2006.t1_cf4.swpb": ("triangular:0.016;1.6;7.68",
        "assumption: the CWPB Tier 1 range of IPCC 2006 Table 4.15 (-99 %...+380 %) applied to SWPB "
        "(the notes record the table's range for CWPB only)"),
    "al.ipcc2006.t1_c2f6.swpb": ("triangular:0.004;0.4;1.92", "assumption, as al.ipcc2006.t1_cf4.swpb"),
    "al.ipcc2006.t1_cf4.vss": ("triangular:0.008;0.8;3.84", "assumption, as al.ipcc2006.t1_cf4.swpb"),
    "al.ipcc2006.t1_c2f6.vss": ("triangular:0.0004;0.04;0.192", "assumption, as al.ipcc2006.t1_cf4.swpb"),
    "al.ipcc2006.t1_cf4.hss": ("triangular:0.004;0.4;1.92", "assumption, as al.ipcc2006.t1_cf4.swpb"),
    "al.ipcc2006.t1_c2f6.hss": ("triangular:0.0003;0.03;0.144", "assumption, as al.ipcc2006.t1_cf4.swpb"),
    "bj.daqu_per_t_grain": ("uniform:0.15;0.25",
        "assumption: +-25 % (one old process paper; daqu dosage differs by house and season)"),
    "bj.discharge.cod_per_t": ("triangular:0.6;2;3",
        "assumption: the derivation is a compliant direct discharger at the limit and the benchmark "
        "volume; effluent below the limit (to 30 %) and volumes above the benchmark (to 150 %) both occur"),
    "bj.discharge.nh3n_per_t": ("triangular:0.06;0.2;0.3", "assumption, as bj.discharge.cod_per_t"),
    "bj.discharge.tn_per_t": ("triangular:0.12;0.4;0.6", "assumption, as bj.discharge.cod_per_t"),
    "bj.discharge.tp_per_t": ("triangular:0.006;0.02;0.03", "assumption, as bj.discharge.cod_per_t"),
    "bj.steam.net_enthalpy": ("triangular:2.455;2.684;2.685",
        "steam tables: saturated steam at 0.2-0.8 MPa (2,706-2,768 kJ/kg) above feed water at 20-60 °C "
        "(84-251 kJ/kg) gives 2.455-2.685 GJ/t; triangular with its mode at the value; coreduce-derived"),
    "boiler.natural_gas.nox": ("uniform:13.097;24.323",
        "assumption: +-30 % (the handbook gives one coefficient for conventional burners and none for "
        "its spread; burner type and load move gas-boiler NOx by this order)"),
    "boiler.natural_gas.pm": ("uniform:0.475;1.425",
        "assumption: +-50 % (the handbook states no spread; gas-fired PM is small and poorly measured)"),
    "boiler.coal_stoker.nox": ("uniform:2.45;4.55",
        "assumption: +-30 % (the handbook states no spread)"),
    "boiler.coal_stoker.pm": ("uniform:4;16",
        "the coefficient scales with coal ash (8 kg/t at ash 10 %); ash of 5-20 % gives 4-16 kg/t "
        "(assumption on the ash range)"),
    "boiler.biomass.nox": ("triangular:1;2;3",
        "covers the 1-2 kg/t the tobacco note gives for pellet burners (notes/baijiu-and-tobacco.md "
        "§B4), symmetric about the handbook value (assumption for the upper end)"),
    "boiler.biomass.pm": ("triangular:1;3.8;5",
        "covers the 1-4 kg/t uncontrolled the tobacco note gives for pellet burners "
        "(notes/baijiu-and-tobacco.md §B4); upper end 5 kg/t an assumption (ash-dependent)"),
    "fuel.sulfur_default.raw_coal": ("triangular:0.5;1.5;3.7",
        "covers the 1.9-3.7 % S that the Sci. Rep. 2023 barn figures imply for Sichuan local coals "
        "(notes/baijiu-and-tobacco.md) and low-sulfur coal down to 0.5 % (assumption); triangular "
        "with its mode at the default"),
    "fuel.sulfur_default.bituminous_coal": ("triangular:0.5;1.5;3.7",
        "as fuel.sulfur_default.raw_coal"),
    "fuel.sulfur_default.biomass_pellet": ("uniform:0.01;0.05",
        "covers the 0.2-0.5 kg/t SO2 the tobacco note gives for pellets (S = SO2/16 = 0.0125-0.031 %) "
        "and Ji'an's near-zero S; upper end 0.05 % an assumption"),
    "so2.retention.stoker": ("uniform:0.1;0.3",
        "assumption: +-0.1 (sulfur retained in ash and slag depends on the coal's calcium and the grate; "
        "the handbook's 16·S implies 0.2 and gives no spread)"),
    "cer.ndrc2013.ef_caco3": ("uniform:0.43971;0.44",
        "covers the stoichiometric 44.01/100.09 = 0.43971 and the guideline's rounded 0.44"),
    "cer.share.kiln": ("triangular:0.5;0.55;0.65",
        "assumption: the source gives kilns more than 50 % of the energy; 0.50-0.65. The four shares "
        "are drawn independently, so their sum (the plant's energy) also varies, by about +-4 % "
        "(1 sd), which adds to the energy intensity's own spread"),
    "cer.share.spray_dryer": ("triangular:0.2;0.25;0.3",
        "assumption: 0.20-0.30 keeps kiln + drying above the 80 % the source gives; drawn independently "
        "of the other shares (see cer.share.kiln)"),
    "cer.share.dryer": ("triangular:0.03;0.05;0.08",
        "assumption: 0.03-0.08; drawn independently of the other shares (see cer.share.kiln)"),
    "cer.share.electricity": ("triangular:0.1;0.15;0.2",
        "assumption: 0.10-0.20 for milling, pressing and polishing; drawn independently of the other "
        "shares (see cer.share.kiln)"),
    "tb.cure.hp_kwh_per_kg": ("uniform:1.752;2.628",
        "assumption: +-20 % (one study); it covers 1.98 kWh/kg, the coal barn's useful heat "
        "(1.75 kg × 20.908 MJ/kg × 42.0 %) delivered at 66.5 % barn efficiency and COP 3.25 "
        "(notes/baijiu-and-tobacco.md §B2); coreduce-derived"),
    "tb.cure.hp_cop": ("uniform:2.6;3.9",
        "assumption: +-20 % (one 2012 test; an air-source heat pump's COP moves with the ambient "
        "temperature of the curing season)"),
    "tb.cure.pellet_per_kg": ("uniform:1.08;1.62",
        "assumption: +-20 % (one study; the coal barn's range is +-14 % and pellet NCVs vary)"),
    "tb.cure.pellet_barn_kwh_per_kg": ("uniform:0.3075;0.5125",
        "assumption: +-25 % (one study; fan power depends on the barn and the schedule)"),
    "tb.cure.coal_barn_fan_kwh_per_kg": ("uniform:0.3;0.5",
        "assumption: +-25 %, as the pellet barn's fan (the value itself is assumed equal to it)"),
    "tb.yield.sichuan": ("uniform:1.8;2.2",
        "assumption: +-10 % (the source says yields have held at about 2 t/ha since 2005; counties "
        "and years differ)"),
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
