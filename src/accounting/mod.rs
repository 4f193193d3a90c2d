//! The inventory engine: one facility-year of activity, through its sector
//! graph, to rows of emissions by node, source and substance, each with its
//! tier, inputs and factor ids, and the totals built from those rows.
//!
//! Order of work: solve the sector graph for the output (Tier 1 defaults of
//! every input), lay the user's measured values over the defaults (a measured
//! fuel of any kind replaces the whole default fuel mix; other items replace
//! their own default), then run each source's official formula. CO2e rows
//! accompany every GHG row, so summing CO2e rows gives the total. Every value
//! is an exact `Decimal`.

mod activity;
use activity::{consuming_method, default_group, factor_edits, item_matches};
mod combustion;
pub mod compare;
mod edits;
mod electricity;
mod fertiliser;
mod limits;
mod measured;
mod pollutants;
mod process;
mod provenance;
mod resolve;
mod sorbent;
mod totals;
mod types;
mod wastewater;

pub use crate::study::*;
pub use compare::{compare, Amounts, CompareRow, Comparison, FacilityTotal, SubstanceTotal};
pub use provenance::{default_bases, method_bases, DefaultBasis};
pub use types::*;

use crate::error::{did_you_mean, DataError, Error, Location};
use crate::factors::FactorLibrary;
use crate::graph::items::{item_examples, item_spec, split_node, ItemKind};
use crate::graph::{expand, Context, FlowSystem, FuelState, Method, Sector, SectorLibrary, Source};
use crate::substance::{Category, Substance};
use crate::text::{Lang, Text};
use crate::tr;
use crate::units::{Dims, Quantity, Unit};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Molar mass ratio CO2/C = 44/12 (44.01/12.011 rounded as the guidelines print it).
const CO2_PER_C: (Decimal, Decimal) = (dec!(44), dec!(12));
/// Molar mass ratio CO2/CH4 = 44/16, for burnt methane (biogenic memo).
const CO2_PER_CH4: (Decimal, Decimal) = (dec!(44), dec!(16));
/// Molar mass ratio N2O/N2O-N = 44/28 (IPCC 2006 Vol. 4 Eq. 11.1).
const N2O_PER_N: (Decimal, Decimal) = (dec!(44), dec!(28));
/// SO2 formed per unit of sulfur burnt, 64/32 = 2 (accounting rules 9 and 10).
const SO2_PER_S: Decimal = dec!(2);

/// A unit error as a text in both languages.
fn unit_text(e: &crate::units::UnitError) -> Text {
    Text::from(e)
}

/// `factor 'id': problem` in both languages.
fn factor_problem(id: &str, problem: &Text) -> Text {
    Text::new(
        format!("factor '{id}': {}", problem.en),
        format!("因子“{id}”：{}", problem.get(Lang::Zh)),
    )
}

/// `a × num / den`, multiplying first so that exact inputs stay exact; None
/// when the product leaves the range of a `Decimal`.
fn ratio(a: Decimal, (num, den): (Decimal, Decimal)) -> Option<Decimal> {
    a.checked_mul(num)?.checked_div(den)
}

/// Checked arithmetic of the engine. Every input is bounded where it enters
/// ([`crate::units::MAX_MAGNITUDE`]), but products and sums of bounded values
/// can still leave the range of a 96-bit `Decimal` (about 7.9 × 10^28): each
/// operation on user-influenced values goes through these, and an overflow is
/// an error naming the facility-year and the operation, never a panic.
impl Work<'_> {
    // `what` names the operation in the error only: callers pass
    // `format_args!`, so nothing is formatted unless an operation fails.
    fn out_of_range(&self, what: impl fmt::Display, op: String) -> Error {
        Error::Data(DataError::new(
            self.here(),
            tr!(
                "{what}: {op} is out of range (larger than about 7.9e28): check the magnitudes and units of the values involved",
                "{what}：{op} 超出数值范围（大于约 7.9e28）：请核对所涉数值的量级和单位"
            ),
        ))
    }
    /// `a × b`, or an error naming `what`.
    fn mul(&self, what: impl fmt::Display, a: Decimal, b: Decimal) -> crate::Result<Decimal> {
        a.checked_mul(b)
            .ok_or_else(|| self.out_of_range(what, format!("{a} × {b}")))
    }
    /// `a / b`, or an error naming `what` (division by zero included).
    fn div(&self, what: impl fmt::Display, a: Decimal, b: Decimal) -> crate::Result<Decimal> {
        if b.is_zero() {
            return Err(Error::Data(DataError::new(
                self.here(),
                tr!(
                    "{what}: {a} / 0 is a division by zero",
                    "{what}：{a} / 0 除数为零"
                ),
            )));
        }
        a.checked_div(b)
            .ok_or_else(|| self.out_of_range(what, format!("{a} / {b}")))
    }
    /// `a + b`, or an error naming `what`.
    fn add(&self, what: impl fmt::Display, a: Decimal, b: Decimal) -> crate::Result<Decimal> {
        a.checked_add(b)
            .ok_or_else(|| self.out_of_range(what, format!("{a} + {b}")))
    }
    /// `a − b`, or an error naming `what`.
    fn sub(&self, what: impl fmt::Display, a: Decimal, b: Decimal) -> crate::Result<Decimal> {
        a.checked_sub(b)
            .ok_or_else(|| self.out_of_range(what, format!("{a} − {b}")))
    }
    /// `a × num / den` (a molar-mass ratio), or an error naming `what`.
    fn ratio(
        &self,
        what: impl fmt::Display,
        a: Decimal,
        r: (Decimal, Decimal),
    ) -> crate::Result<Decimal> {
        ratio(a, r).ok_or_else(|| self.out_of_range(what, format!("{a} × {}/{}", r.0, r.1)))
    }
    /// The product of several factors, or an error naming `what`.
    fn product(&self, what: impl fmt::Display, xs: &[Decimal]) -> crate::Result<Decimal> {
        let mut p = Decimal::ONE;
        for x in xs {
            p = self.mul(&what, p, *x)?;
        }
        Ok(p)
    }
}

/// A measured amount in the item's canonical unit: (item, node qualifier,
/// total, where, and how a fuel given in energy units was converted).
type Measured = (
    String,
    Option<String>,
    Decimal,
    Location,
    Option<Conversion>,
);

/// A fuel amount given in energy units (tce, GJ) turned into the fuel's own
/// unit through its NCV: what the user gave, and the NCV used (its factor id
/// where it is the library's), shown with the row's inputs.
#[derive(Debug, Clone)]
struct Conversion {
    note: String,
    ncv_id: Option<String>,
}

/// One value of an amount item at a node.
#[derive(Debug, Clone)]
struct Entry {
    value: Decimal,
    origin: InputOrigin,
    from: String,
    factor_ids: Vec<String>,
}

/// The engine's working state for one facility-year.
struct Work<'a> {
    sector: &'a Sector,
    lib: &'a FactorLibrary,
    sectors: &'a SectorLibrary,
    ctx: Context<'a>,
    fy: &'a FacilityYear,
    /// (item, node) → amount in the item's canonical unit
    amounts: BTreeMap<(String, String), Entry>,
    /// (item, node or "") → property value in canonical unit, with its location
    props: BTreeMap<(String, String), (Decimal, String)>,
    activity: BTreeMap<String, Decimal>,
    /// measured amounts: (item, node qualifier, total in canonical unit, where)
    measured: Vec<Measured>,
    energy_tce: Decimal,
    /// share of net purchased electricity from zero-carbon sources
    green_share: Decimal,
    /// t CO2 of net purchased electricity and heat, location-based
    scope2_location: Decimal,
    /// t CO2 of net purchased electricity and heat, market-based
    scope2_market: Decimal,
    warnings: Vec<Warning>,
    rows: Vec<Row>,
    /// Controls that consume a reagent, with what they remove (filled while
    /// the sources run, hence a cell).
    sorbents: std::cell::RefCell<Vec<sorbent::SorbentUse>>,
    /// (control item, node) → factor id, for the controls a Tier 1 facility
    /// is taken to have because its workbook gives none
    default_controls: BTreeMap<(String, String), String>,
    /// the run's eliminated flow systems, where this facility-year is one of
    /// a run's over one library with no edits
    flow_systems: Option<&'a FlowSystems>,
}

/// The flow systems of one run over one factor library, each eliminated
/// once per (sector, edition, technology) and replayed on every
/// facility-year's output (the same decimals as solving it anew; see
/// [`crate::graph::FlowSystem`]). Only a run that holds its library for its
/// whole length keeps one: a library changed in place between facility-years
/// (the Monte Carlo's scratch copy) must solve anew.
#[derive(Default)]
pub(crate) struct FlowSystems(std::sync::RwLock<std::collections::HashMap<SystemKey, KeptSystem>>);

/// (sector, edition, technology)
type SystemKey = (String, String, String);

/// A flow system eliminated, or `None` where it does not solve.
type KeptSystem = Option<std::sync::Arc<FlowSystem>>;

impl FlowSystems {
    /// The system of `sector` for `ctx` over `lib`, eliminated on first use;
    /// `None` where it does not solve (the caller solves anew, which names why).
    fn get(
        &self,
        sector: &Sector,
        ctx: Context<'_>,
        lib: &FactorLibrary,
    ) -> Option<std::sync::Arc<FlowSystem>> {
        let key = (
            sector.id.clone(),
            ctx.edition.to_string(),
            ctx.technology.to_string(),
        );
        // a poisoned lock only means another facility-year panicked: solve anew
        if let Some(found) = self.0.read().ok()?.get(&key) {
            return found.clone();
        }
        let system = sector.flow_system(ctx, lib).map(std::sync::Arc::new);
        self.0.write().ok()?.insert(key, system.clone());
        system
    }
}

/// Computes the inventory of one facility-year.
pub fn inventory(
    settings: &Settings,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
    fy: &FacilityYear,
) -> crate::Result<Inventory> {
    inventory_with_edits(settings, lib, sectors, fy, &[])
}

/// Computes the inventory of one facility-year after graph and activity
/// edits (the measures' vocabulary), applied in the order given.
pub fn inventory_with_edits(
    settings: &Settings,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
    fy: &FacilityYear,
    edits: &[Edit],
) -> crate::Result<Inventory> {
    inventory_in_run(settings, lib, sectors, fy, edits, None)
}

/// [`inventory_with_edits`] within a run that keeps its flow systems.
fn inventory_in_run(
    settings: &Settings,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
    fy: &FacilityYear,
    edits: &[Edit],
    flow_systems: Option<&FlowSystems>,
) -> crate::Result<Inventory> {
    let here = Location::api(tr!(
        "facility '{}' year {}",
        "设施“{}” {} 年",
        fy.facility_id,
        fy.year
    ));
    let sector = sectors
        .get(&fy.sector)
        .map_err(|m| Error::Data(DataError::new(here.clone(), m)))?;
    let mut warnings = Vec::new();
    let technology = match &fy.technology {
        Some(t) if !t.trim().is_empty() => sector
            .technology(t)
            .map_err(|m| Error::Data(DataError::new(here.clone(), m)))?
            .id
            .clone(),
        _ => {
            let default = &sector.default_technology;
            warnings.push(Warning::new(
                &here,
                tr!(
                    "no technology given: the sector default '{default}' is assumed",
                    "未填写技术：按行业缺省技术“{default}”计"
                ),
            ));
            sector.default_technology.clone()
        }
    };
    let edition = settings
        .editions
        .get(&sector.id)
        .cloned()
        .unwrap_or_else(|| sector.default_edition.clone());
    let Some(ed) = sector.editions.get(&edition) else {
        let sector_id = &sector.id;
        return Err(Error::Data(
            DataError::new(
                here,
                tr!(
                    "unknown edition '{edition}' for sector {sector_id}",
                    "行业 {sector_id} 没有版本“{edition}”"
                ),
            )
            .with_hint(did_you_mean(
                &edition,
                sector.editions.keys().map(String::as_str),
            )),
        ));
    };
    if ed.gwp != settings.gwp.key() {
        let (guideline_gwp, study_gwp) = (ed.gwp.to_uppercase(), settings.gwp.key().to_uppercase());
        warnings.push(Warning::new(
            &here,
            tr!(
                "the {edition} guideline uses {guideline_gwp} GWPs; CO2e here uses the study's {study_gwp} set",
                "{edition} 指南采用 {guideline_gwp} 全球增温潜势（GWP）；此处 CO2e 按本研究的 {study_gwp} 取值计算"
            ),
        ));
    }
    let ctx = Context {
        edition: &edition,
        technology: &technology,
    };
    // Factor edits act on a copy of the library, before the graph is solved.
    let edited = factor_edits(lib, sector, ctx, edits)?;
    let lib = edited.as_ref().unwrap_or(lib);
    let mut work = Work {
        sector,
        lib,
        sectors,
        ctx,
        fy,
        amounts: BTreeMap::new(),
        props: BTreeMap::new(),
        activity: BTreeMap::new(),
        measured: Vec::new(),
        energy_tce: Decimal::ZERO,
        green_share: Decimal::ZERO,
        scope2_location: Decimal::ZERO,
        scope2_market: Decimal::ZERO,
        warnings,
        rows: Vec::new(),
        sorbents: Default::default(),
        default_controls: BTreeMap::new(),
        // an edited graph or library is this facility-year's own
        flow_systems: flow_systems.filter(|_| edits.is_empty() && edited.is_none()),
    };
    // A unit error (a conversion out of range) gets the facility-year as its place.
    let here = work.here();
    let located = |e: Error| match e {
        Error::Unit(u) => Error::Data(DataError::new(here.clone(), Text::from(&u))),
        e => e,
    };
    let output = work.read_activity().map_err(located)?;
    work.defaults(output).map_err(located)?;
    work.default_controls().map_err(located)?;
    work.apply_edits(edits, output).map_err(located)?;
    work.run_sources(settings).map_err(located)?;
    work.sorbent_rows(settings).map_err(located)?;
    work.apply_stack_measurements().map_err(located)?;
    work.apply_measured_emissions();
    work.check_limits().map_err(located)?;
    let grid_text = work.grid_text(settings);
    work.add_co2e_rows(settings).map_err(located)?;
    let totals = work.totals(output).map_err(located)?;
    work.warn_conflicting_factors();
    work.warn_fallback_fuel_tables(&ed.fuel_tables);
    Ok(Inventory {
        facility_id: fy.facility_id.clone(),
        name: fy.name.clone(),
        sector: sector.id.clone(),
        technology: technology.clone(),
        edition: edition.clone(),
        city: fy.city.clone(),
        county: fy.county.clone(),
        year: fy.year,
        output,
        output_unit: sector.output_unit.symbol().to_string(),
        gwp: settings.gwp,
        view: settings.view,
        grid_factor: grid_text,
        rows: work.rows,
        totals,
        warnings: work.warnings,
    })
}

impl Work<'_> {
    /// One warning per fuel whose defaults came from another table than the
    /// edition's own (the guideline's fuel table is the first of
    /// `fuel_tables`): raw coal under the 2015 guideline falls through to
    /// GB/T 2589 and a carbon content seen in no guideline table, and the
    /// result should say so. Only fallbacks resting on a value weaker than
    /// `secondary` are named (natural gas is the same confirmed value in every
    /// table); our `derived` fuels (biogas) are not a fallback.
    fn warn_fallback_fuel_tables(&mut self, tables: &[String]) {
        let Some(own) = tables.first() else {
            return;
        };
        let mut by_fuel: BTreeMap<(&str, &str), BTreeSet<&str>> = BTreeMap::new();
        for r in &self.rows {
            for id in &r.factor_ids {
                let Some(rest) = id.strip_prefix("fuel.") else {
                    continue;
                };
                let Some((table, fuel_prop)) = rest.split_once('.') else {
                    continue;
                };
                let Some((fuel, _)) = fuel_prop.rsplit_once('.') else {
                    continue;
                };
                if table != own && table != "derived" {
                    by_fuel.entry((fuel, table)).or_default().insert(id);
                }
            }
        }
        let mut found = Vec::new();
        for ((fuel, table), ids) in by_fuel {
            let factors: Vec<&crate::factors::Factor> =
                ids.iter().filter_map(|id| self.lib.find(id)).collect();
            let confirmed = |c: crate::factors::Confidence| {
                matches!(
                    c,
                    crate::factors::Confidence::Verified | crate::factors::Confidence::Secondary
                )
            };
            if factors.iter().all(|f| confirmed(f.confidence)) {
                continue;
            }
            let list = factors
                .iter()
                .map(|f| format!("{} = {} {} ({})", f.id, f.value, f.unit, f.confidence))
                .collect::<Vec<String>>()
                .join(", ");
            // A fraction has no unit to write in Chinese.
            let list_zh = factors
                .iter()
                .map(|f| {
                    let unit = f.unit.to_string();
                    let unit = if unit == "fraction" {
                        String::new()
                    } else {
                        format!(" {unit}")
                    };
                    format!(
                        "{} = {}{unit}（{}）",
                        f.id,
                        f.value,
                        f.confidence.name().get(Lang::Zh)
                    )
                })
                .collect::<Vec<String>>()
                .join("，");
            found.push(tr!(
                "fuel '{fuel}' has no default in the {own} table of this edition; its defaults come from the {table} table: {list}; give the measured fuel.{fuel}.ncv, .carbon_content and .oxidation",
                "燃料“{fuel}”在本版本的 {own} 表中没有缺省值；其缺省值取自 {table} 表：{list_zh}；请填写实测的 fuel.{fuel}.ncv、.carbon_content 和 .oxidation"
            ));
        }
        let here = self.here();
        for message in found {
            self.warnings.push(Warning::new(&here, message));
        }
    }

    /// One warning on every result that rests on a factor marked `conflicting`
    /// (its sources disagree; e.g. the MEE 2024 aluminium defaults against the
    /// consultation-draft figures), naming each with its alternative, so the
    /// conflict travels with the number.
    fn warn_conflicting_factors(&mut self) {
        let mut named: BTreeSet<&str> = BTreeSet::new();
        for r in &self.rows {
            for id in &r.factor_ids {
                if self
                    .lib
                    .find(id)
                    .is_some_and(|f| f.confidence == crate::factors::Confidence::Conflicting)
                {
                    named.insert(id.as_str());
                }
            }
        }
        if named.is_empty() {
            return;
        }
        let list: Vec<String> = named
            .iter()
            .filter_map(|id| self.lib.find(id))
            .map(|f| {
                // the alternative's value and who gives it, without the argument
                let alt = f.alternative.split(" (").next().unwrap_or("").trim();
                format!("{} = {} {} (alternative: {alt})", f.id, f.value, f.unit)
            })
            .collect();
        let list = list.join("; ");
        self.warnings.push(Warning::new(
            self.here(),
            tr!(
                "this result rests on default(s) whose sources disagree (marked conflicting): {list}; give measured values or choose another edition (`coreduce factors show ID`)",
                "本结果所用的缺省值来源之间不一致（标记为 conflicting）：{list}；请填写实测值或选用其他版本（`coreduce factors show ID`）"
            ),
        ));
    }
}

/// Computes every facility-year, collecting all errors.
pub fn inventories(
    settings: &Settings,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
    fys: &[FacilityYear],
) -> crate::Result<Vec<Inventory>> {
    let mut out = Vec::with_capacity(fys.len());
    inventories_in_batches(settings, lib, sectors, fys, usize::MAX, |batch| {
        out.append(batch);
        Ok(())
    })?;
    Ok(out)
}

/// Computes facility-years `batch` at a time (in parallel within a batch) and
/// hands each batch, in study order, to `each`, which may drain it. Memory
/// stays one batch deep however large the study. Every finding of every
/// facility-year is collected; after the first, `each` is no longer called
/// (no partial output) and all of them come back together.
pub fn inventories_in_batches<F>(
    settings: &Settings,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
    fys: &[FacilityYear],
    batch: usize,
    each: F,
) -> crate::Result<()>
where
    F: FnMut(&mut Vec<Inventory>) -> crate::Result<()> + Send,
{
    let chunks = fys.chunks(batch.max(1));
    in_batches(settings, lib, sectors, chunks, |_| {}, each)
}

/// [`inventories_in_batches`], releasing each facility-year's activity once
/// its batch is computed (its rows record what they used): a run over a
/// study of a million facility-years does not hold the whole input until it
/// ends. The facility-years keep their ids, years and places.
pub fn inventories_in_batches_releasing<F>(
    settings: &Settings,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
    fys: &mut [FacilityYear],
    batch: usize,
    each: F,
) -> crate::Result<()>
where
    F: FnMut(&mut Vec<Inventory>) -> crate::Result<()> + Send,
{
    let chunks = fys.chunks_mut(batch.max(1));
    let release = |chunk: &mut [FacilityYear]| {
        for fy in chunk {
            fy.activity = Vec::new();
        }
    };
    in_batches(settings, lib, sectors, chunks, release, each)
}

/// The loop of both: `done_with` gets each chunk after it is computed.
fn in_batches<C, F>(
    settings: &Settings,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
    chunks: impl Iterator<Item = C>,
    mut done_with: impl FnMut(C),
    mut each: F,
) -> crate::Result<()>
where
    C: std::ops::Deref<Target = [FacilityYear]> + Sync,
    F: FnMut(&mut Vec<Inventory>) -> crate::Result<()> + Send,
{
    use rayon::prelude::*;
    let mut errors = Vec::new();
    // `lib` is borrowed for the whole run: its flow systems hold throughout.
    let flow_systems = FlowSystems::default();
    // The batch computed last round, handed to `each` while the next one is
    // computed: writing one batch overlaps computing the next.
    let mut pending: Option<Vec<Inventory>> = None;
    for chunk in chunks {
        // Facility-years are independent: computed in parallel, kept in order.
        let (results, handed) = rayon::join(
            || {
                chunk
                    .par_iter()
                    .map(|fy| {
                        inventory_in_run(settings, lib, sectors, fy, &[], Some(&flow_systems))
                    })
                    .collect::<Vec<crate::Result<Inventory>>>()
            },
            || match pending.take() {
                Some(mut done) => each(&mut done).map(|()| done),
                None => Ok(Vec::new()),
            },
        );
        done_with(chunk);
        let mut done = handed?;
        done.clear();
        for r in results {
            match r {
                Ok(i) => done.push(i),
                Err(Error::Data(e)) => errors.push(e),
                Err(Error::Invalid(mut es)) => errors.append(&mut es),
                Err(e) => return Err(e),
            }
        }
        if errors.is_empty() {
            pending = Some(done);
        }
    }
    if let Some(mut done) = pending {
        if errors.is_empty() {
            each(&mut done)?;
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::from_findings(errors))
    }
}

/// A study computed: the study, the factor library with its overrides, and
/// one inventory per facility-year (what measures, roadmaps and reports read).
pub struct ComputedStudy {
    pub study: Study,
    pub factors: FactorLibrary,
    pub inventories: Vec<Inventory>,
}

impl ComputedStudy {
    /// The run restricted to the study's base year (the `base_year` setting,
    /// else the latest year), for the commands that take one base year
    /// (roadmap, measures, uncertainty): years are never added together.
    pub fn base_year_only(self) -> ComputedStudy {
        let study = self.study.base_year_only();
        let year = study.chosen_base_year();
        let inventories = self
            .inventories
            .into_iter()
            .filter(|i| year.is_none_or(|y| i.year == y))
            .collect();
        ComputedStudy {
            study,
            factors: self.factors,
            inventories,
        }
    }
}

/// The study's factor library (its overrides applied) once the study-wide
/// settings are checked: what every facility-year is computed with.
fn study_factors(study: &Study, base: &FactorLibrary) -> crate::Result<FactorLibrary> {
    let factors = study.factors(base).map_err(Error::from_findings)?;
    // A numeric grid factor out of bounds is one finding for the study, not
    // one per facility-year.
    if let GridFactor::Value(q) = &study.settings.grid {
        let problem = Unit::parse("tCO2/MWh")
            .and_then(|u| q.value_in(&u))
            .map_err(|e| Text::from(&e))
            .and_then(|v| match crate::units::magnitude_problem(v, "tCO2/MWh") {
                Some(m) => Err(m),
                None => Ok(()),
            });
        if let Err(m) = problem {
            return Err(Error::Data(DataError::new(
                Location::Sheet {
                    sheet: "settings".into(),
                },
                Text::new(
                    format!("grid_factor {q}: {}", m.en),
                    format!("grid_factor {q}：{}", m.get(Lang::Zh)),
                ),
            )));
        }
    }
    Ok(factors)
}

/// Applies the study's factor overrides and computes every facility-year;
/// all findings come back together.
pub fn compute(
    study: Study,
    base: &FactorLibrary,
    sectors: &SectorLibrary,
) -> crate::Result<ComputedStudy> {
    let factors = study_factors(&study, base)?;
    let inventories = inventories(&study.settings, &factors, sectors, &study.facility_years)?;
    Ok(ComputedStudy {
        study,
        factors,
        inventories,
    })
}

/// Facility-years computed per batch by the runs that stream (an inventory
/// written to a file, [`check`]), in parallel within a batch: large enough
/// to keep both cores busy, small enough that a batch's rows stay a few MB.
pub const BATCH: usize = 512;

/// A study checked: computed in full, kept only as what a check reports.
pub struct CheckedStudy {
    /// The study, each facility-year's activity released once computed.
    pub study: Study,
    pub factors: FactorLibrary,
    /// One per facility-year, in study order, with its identity and warnings;
    /// its rows and totals are dropped once computed (a check reports
    /// findings and warnings, not amounts).
    pub inventories: Vec<Inventory>,
}

/// Every finding and warning [`compute`] would give, in the same order, at a
/// fraction of its memory: facility-years are computed a batch at a time,
/// their activity released and their rows and totals dropped as they go, and
/// equal warning texts share one allocation. For `validate` on studies of
/// hundreds of thousands of facility-years.
pub fn check(
    mut study: Study,
    base: &FactorLibrary,
    sectors: &SectorLibrary,
) -> crate::Result<CheckedStudy> {
    let factors = study_factors(&study, base)?;
    let mut kept: Vec<Inventory> = Vec::with_capacity(study.facility_years.len());
    let mut messages = std::collections::HashSet::new();
    inventories_in_batches_releasing(
        &study.settings,
        &factors,
        sectors,
        &mut study.facility_years,
        BATCH,
        |batch| {
            for mut inv in batch.drain(..) {
                inv.rows = Vec::new();
                inv.totals = Totals::default();
                inv.share_warnings(&mut messages);
                kept.push(inv);
            }
            Ok(())
        },
    )?;
    Ok(CheckedStudy {
        study,
        factors,
        inventories: kept,
    })
}
