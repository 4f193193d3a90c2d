//! The one projection loop of the roadmap: a scenario's facility-years
//! carried year by year (activity growth and caps, the year's settings, the
//! deployments in force) to the exact engine. The scenario runs, the
//! least-cost effects and its exact check all walk it; each caller keeps
//! what it needs of every facility-year (points, totals, reductions).

use super::scenario::{technology_of, Deployment, Roadmap, Scenario};
use super::{optimise, Scope};
use crate::accounting::{inventory_with_edits, Inventory};
use crate::error::Error;
use crate::factors::FactorLibrary;
use crate::graph::SectorLibrary;
use crate::measures::Measure;
use crate::study::{Edit, FacilityYear, Settings, Study};
use crate::text::Text;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// A scenario ready to project: its deployments (its own, then any extra
/// ones such as the least-cost choice) over the study's facility-years.
pub(crate) struct Projector<'a> {
    scenario: &'a Scenario,
    deployments: Vec<&'a (String, Scope, Deployment)>,
    study: &'a Study,
    base_settings: &'a Settings,
    lib: &'a FactorLibrary,
    sectors: &'a SectorLibrary,
    measures: &'a [Measure],
    rm: &'a Roadmap,
}

/// One facility in one year of a scenario, as the visitor of
/// [`Projector::each`] sees it.
pub(crate) struct Projected<'p> {
    /// The facility-year as measured (its ids and place).
    pub fy: &'p FacilityYear,
    pub year: i32,
    /// The facility-year projected to `year`.
    pub activity: FacilityYear,
    /// The projected output (0 when the facility gives none).
    pub output: Decimal,
    /// The facility's technology, or its sector's default.
    pub tech: String,
    settings: &'p Settings,
    projector: &'p Projector<'p>,
}

/// What the deployments in force do at one facility in one year.
pub(crate) struct Deployed {
    pub edits: Vec<Edit>,
    /// annualised cost, CNY (0 unless costed)
    pub cost: Decimal,
    /// measure → penetration in force
    pub penetration: BTreeMap<String, Decimal>,
}

impl<'a> Projector<'a> {
    /// A projector of `scenario` with `extra` deployments on top of its own,
    /// from the study's settings.
    pub fn new(
        scenario: &'a Scenario,
        extra: &'a [(String, Scope, Deployment)],
        study: &'a Study,
        lib: &'a FactorLibrary,
        sectors: &'a SectorLibrary,
        measures: &'a [Measure],
        rm: &'a Roadmap,
    ) -> Self {
        Projector {
            scenario,
            deployments: scenario.deployments.iter().chain(extra.iter()).collect(),
            study,
            base_settings: &study.settings,
            lib,
            sectors,
            measures,
            rm,
        }
    }

    /// The same projector from other base settings (the scenario's grid
    /// trajectory still applies on top).
    pub fn with_base_settings(mut self, base: &'a Settings) -> Self {
        self.base_settings = base;
        self
    }

    /// Visits, year by year in the order of `years` and in the study's
    /// order within a year, every facility that `keep` admits, projected.
    pub fn each(
        &self,
        years: impl IntoIterator<Item = i32>,
        keep: impl Fn(&FacilityYear) -> bool,
        mut visit: impl FnMut(&Projected) -> crate::Result<()>,
    ) -> crate::Result<()> {
        for year in years {
            let settings = self.scenario.settings(self.base_settings, year);
            for fy in self.study.facility_years.iter().filter(|f| keep(f)) {
                let activity = self
                    .scenario
                    .project(fy, self.rm.base_year, year, self.sectors);
                let output = activity
                    .activity
                    .iter()
                    .find(|a| &*a.item == "output")
                    .map(|a| a.quantity.value)
                    .unwrap_or_default();
                visit(&Projected {
                    fy,
                    year,
                    activity,
                    output,
                    tech: technology_of(fy, self.sectors),
                    settings: &settings,
                    projector: self,
                })?;
            }
        }
        Ok(())
    }
}

impl Projected<'_> {
    /// The edits, annual cost (at the discount rate `rate`, when one is
    /// given) and penetrations of the deployments that reach this facility
    /// in this year. The base year is as measured: deployment starts after it.
    pub fn deployed(&self, rate: Option<Decimal>) -> crate::Result<Deployed> {
        let p = self.projector;
        let (fy, year, tech) = (self.fy, self.year, &self.tech);
        let mut out = Deployed {
            edits: Vec::new(),
            cost: Decimal::ZERO,
            penetration: BTreeMap::new(),
        };
        if year <= p.rm.base_year {
            return Ok(out);
        }
        for (mid, scope, dep) in &p.deployments {
            let Some(m) = p.measures.iter().find(|m| &m.id == mid) else {
                continue;
            };
            if !m.applies(&fy.sector, tech)
                || !scope.contains(fy, p.sectors)
                || p.rm.is_inert(&m.id, &fy.facility_id)
            {
                continue;
            }
            let x = dep.at(year).min(m.max_penetration).max(Decimal::ZERO);
            if x.is_zero() {
                continue;
            }
            out.edits.extend(m.edits_at(x));
            if let Some(rate) = rate {
                out.cost = sum(out.cost, m.annual_cost(self.output, x, rate)?, "cost", year)?;
                out.cost = sum(out.cost, self.energy_cost(m, x)?, "cost", year)?;
            }
            out.penetration.insert(m.id.clone(), x);
        }
        Ok(out)
    }

    /// The energy cost of `m` at penetration `x` here, where it is priced
    /// from the energy-price table (else zero: its annual cost holds it).
    pub fn energy_cost(&self, m: &Measure, x: Decimal) -> crate::Result<Decimal> {
        let rm = &self.projector.rm;
        energy_or_range(
            rm.energy_cost(&m.id, &self.fy.facility_id, self.output, x),
            m,
        )
    }

    /// True when `m` can act here: it applies to the facility's sector and
    /// technology and is not inert at the facility.
    pub fn takes(&self, m: &Measure) -> bool {
        m.applies(&self.fy.sector, &self.tech)
            && !self.projector.rm.is_inert(&m.id, &self.fy.facility_id)
    }

    /// True when the facility is inside `scope`.
    pub fn inside(&self, scope: &Scope) -> bool {
        scope.contains(self.fy, self.projector.sectors)
    }

    /// The exact inventory of the projected facility-year with `edits`.
    pub fn inventory(&self, edits: &[Edit]) -> crate::Result<Inventory> {
        let p = self.projector;
        inventory_with_edits(self.settings, p.lib, p.sectors, &self.activity, edits)
    }

    /// The totals ([`totals_of`]) of that inventory.
    pub fn totals(&self, edits: &[Edit]) -> crate::Result<BTreeMap<String, Decimal>> {
        Ok(totals_of(&self.inventory(edits)?))
    }

    /// The point of this facility-year with its inventory and deployments.
    fn point(&self, inv: &Inventory, deployed: Deployed) -> Point {
        let fy = self.fy;
        let city = fy.city.clone().unwrap_or_default();
        Point {
            facility: fy.facility_id.clone(),
            sector: fy.sector.clone(),
            region: self
                .projector
                .sectors
                .region_of(&city)
                .map(|r| r.id.clone())
                .unwrap_or_default(),
            city,
            county: fy.county.clone().unwrap_or_default(),
            year: self.year,
            output: self.output,
            totals: totals_of(inv),
            split: split_of(inv),
            cost: deployed.cost,
            penetration: deployed.penetration,
        }
    }
}

/// Totals of one scenario-year for one facility.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    pub facility: String,
    pub sector: String,
    pub city: String,
    /// The county-level division where the study named one (empty otherwise).
    pub county: String,
    pub region: String,
    pub year: i32,
    #[serde(with = "rust_decimal::serde::str")]
    pub output: Decimal,
    /// substance (and CO2e, APeq, WPeq, energy_tce) → amount
    #[serde(serialize_with = "crate::units::ser_decimal_map")]
    pub totals: BTreeMap<String, Decimal>,
    /// annualised cost of the deployed measures, CNY
    #[serde(with = "rust_decimal::serde::str")]
    pub cost: Decimal,
    /// measure → penetration in force
    #[serde(serialize_with = "crate::units::ser_decimal_map")]
    pub penetration: BTreeMap<String, Decimal>,
    /// The split the IAMC common definitions ask for, t: `Kyoto` (direct
    /// CO2e), `CO2|Energy` (fuel combustion), `CO2|Process` (other direct
    /// CO2), `CO2|Indirect` and `CO2e|Indirect` (purchased electricity and
    /// heat, kept out of the direct totals so that a merge with a power-sector
    /// scenario does not count them twice).
    #[serde(skip)]
    pub split: BTreeMap<String, Decimal>,
}

/// The direct/indirect and energy/process split of one inventory (see
/// [`Point::split`]).
fn split_of(inv: &Inventory) -> BTreeMap<String, Decimal> {
    let mut m: BTreeMap<String, Decimal> = BTreeMap::new();
    for r in inv.rows.iter().filter(|r| r.in_view) {
        let key = match (r.substance.as_str(), r.scope) {
            ("CO2e", 1) => "Kyoto",
            ("CO2e", 2) => "CO2e|Indirect",
            ("CO2", 2) => "CO2|Indirect",
            ("CO2", 1) if r.method == "combustion" => "CO2|Energy",
            ("CO2", 1) => "CO2|Process",
            _ => continue,
        };
        *m.entry(key.to_string()).or_default() += r.amount;
    }
    m
}

/// The totals of one inventory: each substance, CO2e, APeq, WPeq, energy_tce.
fn totals_of(inv: &Inventory) -> BTreeMap<String, Decimal> {
    // The view's substances, and memo items (biogenic CO2) as series of their
    // own; never rows the view leaves out of a counted substance.
    let memo = |k: &str| {
        crate::substance::Substance::parse(k)
            .is_some_and(|s| s.category() == crate::substance::Category::Memo)
    };
    let mut t: BTreeMap<String, Decimal> = inv
        .totals
        .by_substance
        .iter()
        .chain(inv.totals.outside_view.iter().filter(|(k, _)| memo(k)))
        .filter(|&(k, _)| &**k != "CO2e")
        .map(|(k, v)| (k.to_string(), *v))
        .collect();
    t.insert("CO2e".into(), inv.totals.co2e);
    t.insert("APeq".into(), inv.totals.apeq);
    t.insert("WPeq".into(), inv.totals.wpeq);
    t.insert("energy_tce".into(), inv.totals.energy_tce);
    t
}

/// Runs a scenario over every year for every facility.
#[allow(clippy::too_many_arguments)]
pub fn run_scenario(
    scenario: &Scenario,
    extra: &[(String, Scope, Deployment)],
    study: &Study,
    base_settings: &Settings,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
    measures: &[Measure],
    rm: &Roadmap,
    rate: Decimal,
) -> crate::Result<Vec<Point>> {
    let projector = Projector::new(scenario, extra, study, lib, sectors, measures, rm)
        .with_base_settings(base_settings);
    let mut out = Vec::new();
    projector.each(
        rm.base_year..=rm.end_year,
        |_| true,
        |p| {
            let deployed = p.deployed(Some(rate))?;
            let inv = p.inventory(&deployed.edits)?;
            out.push(p.point(&inv, deployed));
            Ok(())
        },
    )?;
    Ok(out)
}

/// Projects every scenario of a compiled roadmap on a study, the
/// least-cost scenario with the deployments already found: uncertainty runs
/// redraw the inputs and factors and keep the plan.
#[allow(clippy::too_many_arguments)]
pub fn project(
    study: &Study,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
    measures: &[Measure],
    rm: &Roadmap,
    least_cost: Option<&optimise::LeastCost>,
    rate: Decimal,
) -> crate::Result<Vec<(String, Vec<Point>)>> {
    rm.scenarios
        .iter()
        .map(|s| {
            let extra = match (s.kind.as_str(), least_cost) {
                ("least_cost", Some(lc)) => lc.deployments(),
                _ => Vec::new(),
            };
            let points = run_scenario(
                s,
                &extra,
                study,
                &study.settings,
                lib,
                sectors,
                measures,
                rm,
                rate,
            )?;
            Ok((s.id.clone(), points))
        })
        .collect()
}

/// `a + b` of the roadmap's sums over facilities and years; an overflow is
/// an error naming the quantity and year, never a panic.
pub(super) fn sum(a: Decimal, b: Decimal, what: &str, year: i32) -> crate::Result<Decimal> {
    a.checked_add(b).ok_or_else(|| {
        let what_zh = if what == "cost" {
            "成本".to_string()
        } else {
            format!(" {what} ")
        };
        Error::request(Text::new(
            format!(
                "the roadmap's sum of {what} in {year} is out of range (larger than about 7.9e28): check the magnitudes and units of the inputs"
            ),
            format!(
                "路线图中 {year} 年{what_zh}的合计超出数值范围（大于约 7.9e28）：请检查输入值的数量级和单位"
            ),
        ))
    })
}

/// A priced measure's energy cost, or the error that it left the range of
/// a decimal (named by the measure).
fn energy_or_range(energy: Option<Decimal>, m: &Measure) -> crate::Result<Decimal> {
    energy.ok_or_else(|| {
        let id = &m.id;
        crate::measures::out_of_range(
            m.location.clone(),
            crate::tr!(
                "measure '{id}': its energy cost in the roadmap",
                "措施“{id}”：路线图中的能源成本"
            ),
        )
    })
}
