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

/// True for a factor that is exact by definition, not by lack of data. A
/// default of zero is one: it stands for "none unless the facility reports
/// it" (no biogas recovered without a meter, no ammonia slip without SCR),
/// an accounting rule rather than an estimate, and a spread around zero
/// would mean nothing to a multiplicative draw.
fn exact_by_definition(f: &Factor) -> bool {
    ["gwp.", "const.", "pev."]
        .iter()
        .any(|p| f.id.starts_with(p))
        || matches!(f.edition.as_str(), "physical" | "stoichiometry")
        || f.value.is_zero()
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
        out.push(basis_of(
            lib,
            sectors,
            id,
            &sector.default_technology,
            &sector.default_edition,
        )?);
    }
    Ok(out)
}

/// The basis of every method of every sector: each technology under each
/// edition (the sector's default first), so that `factors check` can name
/// every factor a sector method uses without a spread, not only those of
/// the default.
pub fn method_bases<'a>(
    lib: &'a FactorLibrary,
    sectors: &SectorLibrary,
) -> crate::Result<Vec<DefaultBasis<'a>>> {
    let mut out = Vec::new();
    for (id, sector) in &sectors.sectors {
        let mut methods = vec![(
            sector.default_technology.clone(),
            sector.default_edition.clone(),
        )];
        for t in &sector.technologies {
            for e in sector.editions.keys() {
                if !methods.contains(&(t.id.clone(), e.clone())) {
                    methods.push((t.id.clone(), e.clone()));
                }
            }
        }
        for (t, e) in methods {
            out.push(basis_of(lib, sectors, id, &t, &e)?);
        }
    }
    Ok(out)
}

/// What a Tier 1 result of one unit of output of one sector method uses.
fn basis_of<'a>(
    lib: &'a FactorLibrary,
    sectors: &SectorLibrary,
    sector_id: &str,
    technology: &str,
    edition: &str,
) -> crate::Result<DefaultBasis<'a>> {
    let sector = &sectors.sectors[sector_id];
    let fy = FacilityYear::new("default", sector_id, 2022)
        .technology(technology)
        .with("output", Decimal::ONE, sector.output_unit.symbol())?;
    let mut settings = Settings::default();
    settings
        .editions
        .insert(sector_id.to_string(), edition.to_string());
    let inv = inventory(&settings, lib, sectors, &fy)?;
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
    Ok(DefaultBasis {
        sector: sector_id.to_string(),
        technology: inv.technology,
        edition: inv.edition,
        factor_ids,
        weak,
        no_spread,
    })
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

    /// Issue 15: every factor a sector method uses carries a spread, or is
    /// exact by definition; a factor added without one fails here (and
    /// `coreduce factors check` names it and the methods that use it).
    #[test]
    fn every_sector_method_draws_every_factor_it_uses() {
        let lib = FactorLibrary::embedded().unwrap();
        let sectors = SectorLibrary::embedded(&lib).unwrap();
        let bases = method_bases(&lib, &sectors).unwrap();
        // each technology under each edition: aluminium 4 × 3, baijiu 3 × 1,
        // ceramics 5 × 1, tobacco 6 × 1
        assert_eq!(bases.len(), 26);
        let missing: Vec<String> = bases
            .iter()
            .flat_map(|b| {
                b.no_spread
                    .iter()
                    .map(move |f| format!("{} ({}/{}/{})", f.id, b.sector, b.technology, b.edition))
            })
            .collect();
        assert!(missing.is_empty(), "without a spread: {missing:?}");
        // and the rule that lets a zero default through does not hide a
        // non-zero factor: the biogas recovery default is zero, the kiln
        // NOx is not and has its spread
        let bj = lib.find("bj.wwtp.biogas_recovery").unwrap();
        assert!(bj.value.is_zero() && exact_by_definition(bj));
        let nox = lib.find("cer.kiln.nox.natural_gas").unwrap();
        assert!(!exact_by_definition(nox) && nox.uncertainty.is_some());
    }

    /// Where the sources disagree (`conflicting`), the spread is what says
    /// so to a Monte Carlo run: every such factor carries one.
    #[test]
    fn every_conflicting_factor_carries_a_spread() {
        let lib = FactorLibrary::embedded().unwrap();
        let bare: Vec<&str> = lib
            .iter()
            .filter(|f| f.confidence == Confidence::Conflicting && f.uncertainty.is_none())
            .map(|f| f.id.as_str())
            .collect();
        assert!(bare.is_empty(), "conflicting without a spread: {bare:?}");
    }
}
