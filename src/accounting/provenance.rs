//! What each sector's default results rest on: the factors a Tier 1 result
//! of one unit of output uses (default technology and edition), with the
//! weakly marked ones (`assumption`, `unverified`, `conflicting`) weakest
//! first, and those without a spread (held exact by Monte Carlo), for
//! `coreduce factors check`.

use super::{inventory, FacilityYear, Settings};
use crate::factors::{Confidence, Factor, FactorLibrary};
use crate::graph::SectorLibrary;
use rust_decimal::Decimal;
use std::collections::BTreeSet;

/// One sector's default result and the weak factors under it.
#[derive(Debug, Clone)]
pub struct DefaultBasis<'a> {
    pub sector: String,
    pub technology: String,
    pub edition: String,
    /// every factor id the default result uses
    pub factor_ids: BTreeSet<String>,
    /// the factors marked `assumption`, `unverified` or `conflicting`,
    /// weakest first (then by id)
    pub weak: Vec<&'a Factor>,
    /// the factors with no spread, which Monte Carlo holds exact (GWPs,
    /// constants, stoichiometric ratios and legal pollution-equivalent values
    /// are exact by definition and not listed)
    pub no_spread: Vec<&'a Factor>,
}

/// True for a factor that is exact by definition, not by lack of data.
fn exact_by_definition(f: &Factor) -> bool {
    ["gwp.", "const.", "pev."]
        .iter()
        .any(|p| f.id.starts_with(p))
        || matches!(f.edition.as_str(), "physical" | "stoichiometry")
}

/// Weakest first: an assumption is ours, an unverified value has one
/// secondary source, a conflicting one has sources that disagree.
fn weakness(c: Confidence) -> Option<u8> {
    match c {
        Confidence::Assumption => Some(0),
        Confidence::Unverified => Some(1),
        Confidence::Conflicting => Some(2),
        _ => None,
    }
}

/// The default basis of every sector, in sector order.
pub fn default_bases<'a>(
    lib: &'a FactorLibrary,
    sectors: &SectorLibrary,
) -> crate::Result<Vec<DefaultBasis<'a>>> {
    let mut out = Vec::new();
    for (id, sector) in &sectors.sectors {
        let fy = FacilityYear::new("default", id, 2022).with(
            "output",
            Decimal::ONE,
            sector.output_unit.symbol(),
        )?;
        let inv = inventory(&Settings::default(), lib, sectors, &fy)?;
        // the rows' factors, and those of the graph solve and the default
        // activity inputs (energy intensities, curing coal per kg) behind them
        let mut graph_ids = Vec::new();
        let ctx = crate::graph::Context {
            edition: &inv.edition,
            technology: &inv.technology,
        };
        sector
            .solve(Decimal::ONE, ctx, lib, &mut graph_ids)
            .map_err(crate::Error::Data)?;
        for input in sector.inputs_for(&inv.technology) {
            sector
                .eval_amount(&input.amount, ctx, lib, &mut graph_ids)
                .map_err(crate::Error::Data)?;
        }
        let factor_ids: BTreeSet<String> = inv
            .rows
            .iter()
            .flat_map(|r| r.factor_ids.iter().cloned())
            .chain(graph_ids)
            .collect();
        let mut weak: Vec<&Factor> = factor_ids
            .iter()
            .filter_map(|id| lib.find(id))
            .filter(|f| weakness(f.confidence).is_some())
            .collect();
        weak.sort_by_key(|f| (weakness(f.confidence), f.id.clone()));
        let no_spread = factor_ids
            .iter()
            .filter_map(|id| lib.find(id))
            .filter(|f| f.uncertainty.is_none() && !exact_by_definition(f))
            .collect();
        out.push(DefaultBasis {
            sector: id.clone(),
            technology: inv.technology,
            edition: inv.edition,
            factor_ids,
            weak,
            no_spread,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_results_name_their_weak_factors_weakest_first() {
        let lib = FactorLibrary::embedded().unwrap();
        let sectors = SectorLibrary::embedded(&lib).unwrap();
        let bases = default_bases(&lib, &sectors).unwrap();
        assert_eq!(bases.len(), 4);
        let al = bases.iter().find(|b| b.sector == "aluminium").unwrap();
        assert_eq!(
            (al.technology.as_str(), al.edition.as_str()),
            ("cwpb", "mee2024")
        );
        // the MEE 2024 defaults the notes mark conflicting
        assert!(al.weak.iter().any(|f| f.id == "al.mee2024.anode_nc"));
        for b in &bases {
            let ranks: Vec<_> = b.weak.iter().map(|f| weakness(f.confidence)).collect();
            assert!(
                ranks.windows(2).all(|w| w[0] <= w[1]),
                "{}: {ranks:?}",
                b.sector
            );
            assert!(b.weak.iter().all(|f| b.factor_ids.contains(&f.id)));
        }
        // tobacco's coal barn rests on the raw-coal carbon content seen in no
        // table, and on the curing coal per kg of leaf of the graph
        let tb = bases.iter().find(|b| b.sector == "tobacco").unwrap();
        assert!(
            tb.factor_ids.contains("tb.cure.coal_per_kg"),
            "{:?}",
            tb.factor_ids
        );
        assert!(
            tb.weak.iter().any(|f| f.id == "fuel.gbt2589.raw_coal.cc"),
            "{:?}",
            tb.factor_ids
        );
    }
}
