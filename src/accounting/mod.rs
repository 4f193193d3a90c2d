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

mod types;

pub use crate::study::*;
pub use types::*;

use crate::error::{did_you_mean, DataError, Error, Location};
use crate::factors::FactorLibrary;
use crate::graph::items::{item_examples, item_spec, split_node, ItemKind};
use crate::graph::{expand, Context, FuelState, Method, Sector, SectorLibrary, Source};
use crate::substance::{Category, Substance};
use crate::units::{Dims, Quantity, Unit};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::collections::{BTreeMap, BTreeSet};

/// Molar mass ratio CO2/C = 44/12 (44.01/12.011 rounded as the guidelines print it).
const CO2_PER_C: (Decimal, Decimal) = (dec!(44), dec!(12));
/// Molar mass ratio CO2/CH4 = 44/16, for burnt methane (biogenic memo).
const CO2_PER_CH4: (Decimal, Decimal) = (dec!(44), dec!(16));
/// Molar mass ratio N2O/N2O-N = 44/28 (IPCC 2006 Vol. 4 Eq. 11.1).
const N2O_PER_N: (Decimal, Decimal) = (dec!(44), dec!(28));
/// SO2 formed per unit of sulfur burnt, 64/32 = 2 (accounting rules 9 and 10).
const SO2_PER_S: Decimal = dec!(2);

/// `a × num / den`, multiplying first so that exact inputs stay exact.
fn ratio(a: Decimal, (num, den): (Decimal, Decimal)) -> Decimal {
    a * num / den
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
    measured: Vec<(String, Option<String>, Decimal, Location)>,
    energy_tce: Decimal,
    /// share of net purchased electricity from zero-carbon sources
    green_share: Decimal,
    warnings: Vec<Warning>,
    rows: Vec<Row>,
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
    let here = Location::Api {
        what: format!("facility '{}' year {}", fy.facility_id, fy.year),
    };
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
            warnings.push(Warning {
                location: here.to_string(),
                message: format!(
                    "no technology given: the sector default '{}' is assumed",
                    sector.default_technology
                ),
            });
            sector.default_technology.clone()
        }
    };
    let edition = settings
        .editions
        .get(&sector.id)
        .cloned()
        .unwrap_or_else(|| sector.default_edition.clone());
    let Some(ed) = sector.editions.get(&edition) else {
        return Err(Error::Data(
            DataError::new(
                here,
                format!("unknown edition '{edition}' for sector {}", sector.id),
            )
            .with_hint(did_you_mean(
                &edition,
                sector.editions.keys().map(String::as_str),
            )),
        ));
    };
    if ed.gwp != settings.gwp.key() {
        warnings.push(Warning {
            location: here.to_string(),
            message: format!(
                "the {} guideline uses {} GWPs; CO2e here uses the study's {} set",
                edition,
                ed.gwp.to_uppercase(),
                settings.gwp.key().to_uppercase()
            ),
        });
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
        warnings,
        rows: Vec::new(),
    };
    let output = work.read_activity()?;
    work.defaults(output)?;
    work.apply_edits(edits, output)?;
    work.run_sources(settings)?;
    work.apply_stack_measurements()?;
    work.apply_measured_emissions();
    let grid_text = work.grid_text(settings);
    work.add_co2e_rows(settings)?;
    let totals = work.totals(output)?;
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

/// Computes every facility-year, collecting all errors.
pub fn inventories(
    settings: &Settings,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
    fys: &[FacilityYear],
) -> crate::Result<Vec<Inventory>> {
    use rayon::prelude::*;
    // Facility-years are independent: computed in parallel, kept in order.
    let results: Vec<crate::Result<Inventory>> = fys
        .par_iter()
        .map(|fy| inventory(settings, lib, sectors, fy))
        .collect();
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(i) => out.push(i),
            Err(Error::Data(e)) => errors.push(e),
            Err(Error::Invalid(mut es)) => errors.append(&mut es),
            Err(e) => return Err(e),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Error::from_findings(errors))
    }
}

impl<'a> Work<'a> {
    fn fuel_ids(&self) -> Vec<&'a str> {
        self.sectors.fuel_ids()
    }

    fn here(&self) -> Location {
        Location::Api {
            what: format!("facility '{}' year {}", self.fy.facility_id, self.fy.year),
        }
    }

    /// The canonical unit of an item.
    fn canonical_unit(&self, item: &str) -> Unit {
        if item == "output" {
            return self.sector.output_unit.clone();
        }
        if let Some(rest) = item.strip_prefix("fuel.") {
            let (fuel, prop) = rest.split_once('.').unwrap_or((rest, ""));
            if let Some(f) = self.sectors.fuel(fuel) {
                let text = match prop {
                    "" => f.unit.as_str(),
                    "ncv" if f.state == FuelState::Gas => "GJ/10^4 Nm3",
                    "ncv" => "GJ/t",
                    "carbon_content" => "tC/TJ",
                    _ => "fraction",
                };
                return Unit::parse(text).unwrap_or_else(|_| Unit::one());
            }
        }
        let spec = item_spec(item, &self.fuel_ids());
        spec.and_then(|s| Unit::parse(s.unit).ok())
            .unwrap_or_else(Unit::one)
    }

    /// Reads and checks the activity; returns output in the sector's unit.
    fn read_activity(&mut self) -> crate::Result<Decimal> {
        let fuels = self.fuel_ids();
        let mut errors = Vec::new();
        let mut output: Option<Decimal> = None;
        let mut output_rows = 0;
        let mut measured: Vec<(String, Option<String>, Quantity, Location)> = Vec::new();
        for a in &self.fy.activity {
            let (item, node) = split_node(&a.item);
            let Some(spec) = item_spec(item, &fuels) else {
                errors.push(
                    DataError::new(a.location.clone(), format!("unknown item '{item}'")).with_hint(
                        did_you_mean(item, item_examples(&fuels).iter().map(String::as_str)),
                    ),
                );
                continue;
            };
            if let Some(n) = node {
                if self.sector.node(n).is_none() {
                    errors.push(
                        DataError::new(
                            a.location.clone(),
                            format!("unknown node '{n}' for sector {}", self.sector.id),
                        )
                        .with_hint(did_you_mean(
                            n,
                            self.sector.nodes.iter().map(|x| x.id.as_str()),
                        )),
                    );
                    continue;
                }
            }
            let canonical = self.canonical_unit(item);
            let q = &a.quantity;
            if item == "output" {
                output_rows += 1;
                match q.value_in(&canonical) {
                    Ok(v) if v < Decimal::ZERO => errors.push(DataError::new(
                        a.location.clone(),
                        format!("output is negative ({})", q),
                    )),
                    Ok(v) => {
                        if output.is_some() {
                            errors.push(DataError::new(
                                a.location.clone(),
                                "output is given twice for this facility-year",
                            ));
                        }
                        output = Some(v);
                    }
                    Err(_) => errors.push(DataError::new(
                        a.location.clone(),
                        format!(
                            "output is in '{}' ({}), but {} output is measured in '{}' ({})",
                            q.unit,
                            q.unit.dims(),
                            self.sector.id,
                            canonical,
                            canonical.dims()
                        ),
                    )),
                }
                continue;
            }
            // Amounts may be given per unit of output; they are scaled later.
            let per_output = canonical.div(&self.sector.output_unit).ok();
            let dims_ok = q.unit.compatible(&canonical)
                || (spec.kind == ItemKind::Amount
                    && per_output.as_ref().is_some_and(|p| q.unit.compatible(p)));
            if !dims_ok {
                errors.push(DataError::new(
                    a.location.clone(),
                    format!(
                        "'{item}' is in '{}' ({}), which cannot be converted to '{}' ({})",
                        q.unit,
                        q.unit.dims(),
                        canonical,
                        canonical.dims()
                    ),
                ));
                continue;
            }
            if spec.kind == ItemKind::Property {
                let v = q.value_in(&canonical)?;
                let is_fraction = canonical.dims() == Dims::NONE;
                if is_fraction && (v < Decimal::ZERO || v > Decimal::ONE) {
                    errors.push(DataError::new(
                        a.location.clone(),
                        format!("'{item}' must lie between 0 and 1 (0–100 %), got {q}"),
                    ));
                    continue;
                }
                if !is_fraction && v < Decimal::ZERO {
                    errors.push(DataError::new(
                        a.location.clone(),
                        format!("'{item}' cannot be negative, got {q}"),
                    ));
                    continue;
                }
                let key = (item.to_string(), node.unwrap_or("").to_string());
                if self.props.contains_key(&key) {
                    errors.push(DataError::new(
                        a.location.clone(),
                        format!("'{}' is given twice for this facility-year", a.item),
                    ));
                    continue;
                }
                self.props.insert(key, (v, a.location.to_string()));
            } else {
                if q.value < Decimal::ZERO {
                    errors.push(DataError::new(
                        a.location.clone(),
                        format!("'{item}' cannot be negative, got {q}"),
                    ));
                    continue;
                }
                measured.push((
                    item.to_string(),
                    node.map(str::to_string),
                    q.clone(),
                    a.location.clone(),
                ));
            }
        }
        let Some(output) = output else {
            if output_rows > 0 {
                return Err(Error::from_findings(errors));
            }
            errors.push(DataError::new(
                self.here(),
                format!(
                    "no 'output' for this facility-year (in {})",
                    self.sector.output_label
                ),
            ));
            return Err(Error::from_findings(errors));
        };
        if !errors.is_empty() {
            return Err(Error::from_findings(errors));
        }
        // Normalise measured amounts to totals in canonical units.
        let mut seen = BTreeSet::new();
        for (item, node, q, loc) in measured {
            let canonical = self.canonical_unit(&item);
            let total = if q.unit.compatible(&canonical) {
                q.value_in(&canonical)?
            } else {
                let per = canonical.div(&self.sector.output_unit)?;
                q.value_in(&per)? * output
            };
            let key = (item.clone(), node.clone().unwrap_or_default());
            if !seen.insert(key) {
                return Err(Error::Data(DataError::new(
                    loc,
                    format!("'{item}' is given twice for this facility-year"),
                )));
            }
            self.measured.push((item, node, total, loc));
        }
        Ok(output)
    }
}

/// Applies the `ScaleFactor` edits to a copy of the library (None when there are none).
fn factor_edits(
    lib: &FactorLibrary,
    sector: &Sector,
    ctx: Context<'_>,
    edits: &[Edit],
) -> crate::Result<Option<FactorLibrary>> {
    if !edits
        .iter()
        .any(|e| matches!(e, Edit::ScaleFactor { .. } | Edit::SetFactor { .. }))
    {
        return Ok(None);
    }
    let mut copy = lib.clone();
    for e in edits {
        let (id, new, text) = match e {
            Edit::ScaleFactor { id, multiplier } => {
                let id = expand(id, sector, ctx);
                let Ok(f) = copy.get(&id) else { continue };
                (
                    id,
                    f.value * multiplier,
                    format!("measure edit: × {multiplier}"),
                )
            }
            Edit::SetFactor { id, value, weight } => {
                let id = expand(id, sector, ctx);
                let Some(f) = copy.find(&id) else { continue };
                let new = f.value + *weight * (*value - f.value);
                (
                    id,
                    new,
                    format!("measure edit: toward {value} (weight {weight})"),
                )
            }
            _ => continue,
        };
        let unit = copy.get(&id).map_err(Error::Data)?.unit.clone();
        copy.override_value(
            &id,
            new,
            unit,
            &text,
            Location::Api {
                what: format!("measure edit of '{id}'"),
            },
        )
        .map_err(Error::Data)?;
    }
    Ok(Some(copy))
}

fn item_matches(pattern: &str, item: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => item.starts_with(prefix) && !item[prefix.len()..].contains('.'),
        None => pattern == item,
    }
}

/// The method that consumes an item, to find where a facility-level value goes.
fn consuming_method(item: &str) -> Option<Method> {
    Some(match item {
        i if i.starts_with("fuel.") => Method::Combustion,
        "electricity.purchased" | "electricity.exported" => Method::Electricity,
        "heat.purchased" | "heat.exported" => Method::Heat,
        "anode.net_consumption" => Method::Anode,
        "limestone" | "carbonate.caco3" | "carbonate.mgco3" => Method::Carbonate,
        "wastewater.cod_removed" | "wastewater.cod_sludge" | "biogas.ch4_recovered" => {
            Method::WastewaterCh4
        }
        "fertiliser.n" => Method::FertiliserN2o,
        "stack.flow" => Method::Combustion,
        i if i.starts_with("discharge.") => Method::Discharge,
        _ => return None,
    })
}

/// Items whose measured values replace the defaults as a group.
fn default_group(item: &str) -> &str {
    match item.strip_prefix("fuel.") {
        Some(f) if !f.contains('.') => "fuel",
        _ => item,
    }
}

impl<'a> Work<'a> {
    fn factor(&self, template: &str) -> crate::Result<(Decimal, Unit, String)> {
        let id = expand(template, self.sector, self.ctx);
        if let Some(f) = self.lib.find(&id) {
            return Ok((f.value, f.unit.clone(), id));
        }
        let f = self.lib.get(&id).map_err(|e| {
            Error::Data(DataError {
                location: self.here(),
                ..e
            })
        })?;
        Ok((f.value, f.unit.clone(), id))
    }

    /// A factor's value converted to `unit` (an error naming both units otherwise).
    fn factor_in(&self, template: &str, unit: &str) -> crate::Result<(Decimal, String)> {
        let (v, u, id) = self.factor(template)?;
        let target = Unit::parse(unit)?;
        let value = u
            .convert(v, &target)
            .map_err(|e| Error::Data(DataError::new(self.here(), format!("factor '{id}': {e}"))))?;
        Ok((value, id))
    }

    fn home_node(&self, item: &str) -> String {
        if item.starts_with("fuel.") {
            return self.sector.default_node.clone();
        }
        if let Some(m) = consuming_method(item) {
            if let Some(src) =
                self.sector.sources.iter().find(|s| {
                    s.method == m && (m != Method::Carbonate || s.items.contains_key(item))
                })
            {
                return src.node.clone();
            }
        }
        self.sector.default_node.clone()
    }

    /// Tier 1 defaults from the graph, then the measured values over them.
    fn defaults(&mut self, output: Decimal) -> crate::Result<()> {
        let mut used = Vec::new();
        let activity = self
            .sector
            .solve(output, self.ctx, self.lib, &mut used)
            .map_err(Error::Data)?;
        let mut defaults: BTreeMap<(String, String), Entry> = BTreeMap::new();
        for input in self.sector.inputs_for(self.ctx.technology) {
            let node = self.sector.node(&input.node).ok_or_else(|| {
                Error::Data(DataError::new(
                    self.here(),
                    format!("unknown node '{}'", input.node),
                ))
            })?;
            let mut ids = Vec::new();
            let per = self
                .sector
                .eval_amount(&input.amount, self.ctx, self.lib, &mut ids)
                .map_err(Error::Data)?;
            let s = Quantity::new(activity[&input.node], node.unit.clone());
            let canonical = self.canonical_unit(&input.item);
            let value = s.mul(&per)?.value_in(&canonical).map_err(|e| {
                Error::Data(DataError::new(
                    input.amount.location.clone(),
                    format!("default input '{}': {e}", input.item),
                ))
            })?;
            let from = if ids.is_empty() {
                input.amount.note.clone()
            } else {
                ids.join(" × ")
            };
            let key = (input.item.clone(), input.node.clone());
            match defaults.get_mut(&key) {
                Some(e) => e.value += value,
                None => {
                    defaults.insert(
                        key,
                        Entry {
                            value,
                            origin: InputOrigin::Default,
                            from,
                            factor_ids: ids,
                        },
                    );
                }
            }
        }
        self.activity = activity;
        // Measured groups replace their defaults.
        let measured_groups: BTreeSet<String> = self
            .measured
            .iter()
            .map(|(i, _, _, _)| default_group(i).to_string())
            .collect();
        let shares = defaults.clone();
        defaults.retain(|(item, _), _| !measured_groups.contains(default_group(item)));
        self.amounts = defaults;
        let measured = std::mem::take(&mut self.measured);
        let facility_level: BTreeSet<&str> = measured
            .iter()
            .filter(|(_, n, _, _)| n.is_none())
            .map(|(i, _, _, _)| i.as_str())
            .collect();
        for (item, node, total, loc) in &measured {
            if node.is_some() && facility_level.contains(item.as_str()) {
                return Err(Error::Data(DataError::new(
                    loc.clone(),
                    format!(
                        "'{item}' is given both for the facility and for a node: give one or the other"
                    ),
                )));
            }
            let from = loc.to_string();
            let entry = |value| Entry {
                value,
                origin: InputOrigin::Measured,
                from: from.clone(),
                factor_ids: Vec::new(),
            };
            if item.starts_with("emission.") {
                self.amounts.insert(
                    (item.clone(), node.clone().unwrap_or_default()),
                    entry(*total),
                );
                continue;
            }
            if let Some(n) = node {
                self.amounts
                    .insert((item.clone(), n.clone()), entry(*total));
                continue;
            }
            let parts: Vec<(&String, Decimal)> = shares
                .iter()
                .filter(|((i, _), e)| i == item && e.value > Decimal::ZERO)
                .map(|((_, n), e)| (n, e.value))
                .collect();
            let sum: Decimal = parts.iter().map(|(_, v)| *v).sum();
            if parts.len() <= 1 || sum.is_zero() {
                let n = parts
                    .first()
                    .map(|(n, _)| (*n).clone())
                    .unwrap_or_else(|| self.home_node(item));
                self.amounts.insert((item.clone(), n), entry(*total));
            } else {
                // Split by the default shares; the last part takes the
                // remainder so that the parts sum to the total exactly.
                let mut left = *total;
                for (k, (n, v)) in parts.iter().enumerate() {
                    let part = if k + 1 == parts.len() {
                        left
                    } else {
                        *total * *v / sum
                    };
                    left -= part;
                    self.amounts
                        .insert((item.clone(), (*n).clone()), entry(part));
                }
            }
        }
        let has_fuel = self.amounts.keys().any(|(i, _)| default_group(i) == "fuel");
        let sector_uses_fuel = self
            .sector
            .inputs
            .iter()
            .any(|i| default_group(&i.item) == "fuel");
        let has_power = self
            .amounts
            .keys()
            .any(|(i, _)| i == "electricity.purchased");
        if sector_uses_fuel && !has_fuel && !has_power {
            self.warnings.push(Warning {
                location: self.here().to_string(),
                message: format!(
                    "technology '{}' has no Tier 1 energy default: give the measured fuel (fuel.<f>) and electricity",
                    self.ctx.technology
                ),
            });
        }
        Ok(())
    }

    /// Applies the activity edits (everything but factor edits) in order.
    fn apply_edits(&mut self, edits: &[Edit], output: Decimal) -> crate::Result<()> {
        for e in edits {
            match e {
                Edit::ScaleFactor { id, .. } | Edit::SetFactor { id, .. } => {
                    let full = expand(id, self.sector, self.ctx);
                    if !self.lib.contains(&full) {
                        self.warnings.push(Warning {
                            location: self.here().to_string(),
                            message: format!(
                                "measure edit of '{full}' has no effect: the {} edition has no such factor",
                                self.ctx.edition
                            ),
                        });
                    }
                }
                Edit::Scale {
                    item,
                    node,
                    multiplier,
                } => {
                    for ((i, n), entry) in self.amounts.iter_mut() {
                        if item_matches(item, i) && node.as_ref().is_none_or(|x| x == n) {
                            entry.value *= multiplier;
                        }
                    }
                    for ((i, n), (v, _)) in self.props.iter_mut() {
                        if item_matches(item, i)
                            && node.as_ref().is_none_or(|x| x == n || n.is_empty())
                        {
                            *v *= multiplier;
                        }
                    }
                }
                Edit::Switch {
                    from,
                    to,
                    node,
                    share,
                    ratio,
                } => {
                    let keys: Vec<(String, String)> = self
                        .amounts
                        .keys()
                        .filter(|(i, n)| i == from && node.as_ref().is_none_or(|x| x == n))
                        .cloned()
                        .collect();
                    for key in keys {
                        let Some(entry) = self.amounts.get_mut(&key) else {
                            continue;
                        };
                        let moved = entry.value * share;
                        if moved.is_zero() {
                            continue;
                        }
                        entry.value -= moved;
                        let origin = entry.origin.clone();
                        let added = self.switched_amount(from, to, &key.1, moved, ratio)?;
                        let target = self
                            .amounts
                            .entry((to.clone(), key.1.clone()))
                            .or_insert_with(|| Entry {
                                value: Decimal::ZERO,
                                origin,
                                from: format!("switched from {from}"),
                                factor_ids: Vec::new(),
                            });
                        target.value += added;
                    }
                }
                Edit::Add {
                    item,
                    node,
                    per_output,
                } => {
                    let unit = self.canonical_unit(item);
                    let per = unit.div(&self.sector.output_unit)?;
                    let value = per_output.value_in(&per).map_err(|e| {
                        Error::Data(DataError::new(self.here(), format!("added {item}: {e}")))
                    })? * output;
                    if value.is_zero() {
                        continue;
                    }
                    let entry = self
                        .amounts
                        .entry((item.clone(), node.clone()))
                        .or_insert_with(|| Entry {
                            value: Decimal::ZERO,
                            origin: InputOrigin::Default,
                            from: "measure".into(),
                            factor_ids: Vec::new(),
                        });
                    entry.value += value;
                }
                Edit::Control {
                    substance,
                    node,
                    efficiency,
                } => {
                    let item = format!("control.{}.efficiency", substance.code());
                    let key = (item.clone(), node.clone().unwrap_or_default());
                    let old = self
                        .prop(&item, &key.1)
                        .map(|(v, _)| v)
                        .unwrap_or(Decimal::ZERO);
                    let new = Decimal::ONE - (Decimal::ONE - old) * (Decimal::ONE - efficiency);
                    self.props.insert(key, (new, "measure".into()));
                    if node.is_none() {
                        for ((i, n), (v, _)) in self.props.iter_mut() {
                            if *i == item && !n.is_empty() {
                                *v = Decimal::ONE
                                    - (Decimal::ONE - *v) * (Decimal::ONE - efficiency);
                            }
                        }
                    }
                }
                Edit::GreenPower { share } => {
                    self.green_share =
                        Decimal::ONE - (Decimal::ONE - self.green_share) * (Decimal::ONE - share);
                }
            }
        }
        Ok(())
    }

    /// The amount of `to` that replaces `moved` of `from`. A ratio per unit of
    /// energy goes through the NCV of `from`; a ratio giving energy for a fuel
    /// goes through the NCV of `to`.
    fn switched_amount(
        &self,
        from: &str,
        to: &str,
        node: &str,
        moved: Decimal,
        ratio: &Quantity,
    ) -> crate::Result<Decimal> {
        let gj = Unit::parse("GJ")?;
        let fuel_of = |item: &str| {
            item.strip_prefix("fuel.")
                .filter(|f| !f.contains('.'))
                .and_then(|f| self.sectors.fuel(f))
                .cloned()
        };
        let ncv = |f: &crate::graph::FuelDef| -> crate::Result<Quantity> {
            let per = if f.state == FuelState::Gas {
                "GJ/10^4 Nm3"
            } else {
                "GJ/t"
            };
            let (v, _, _) = self.fuel_prop(&f.id, "ncv", node, per)?;
            Ok(Quantity::new(v, Unit::parse(per)?))
        };
        let from_q = Quantity::new(moved, self.canonical_unit(from));
        // Split the ratio's unit into numerator and denominator.
        let symbol = ratio.unit.symbol();
        let (num, den) = match symbol.rsplit_once('/') {
            Some((n, d)) => (Unit::parse(n)?, Unit::parse(d)?),
            None => (ratio.unit.clone(), Unit::one()),
        };
        let mut out = if den.compatible(&gj) {
            // Energy basis: the amount moved, as energy, times the ratio.
            let energy = if from_q.unit.compatible(&gj) {
                from_q
            } else {
                let f = fuel_of(from).ok_or_else(|| {
                    Error::Data(DataError::new(
                        self.here(),
                        format!("switch from '{from}' on an energy basis needs a fuel"),
                    ))
                })?;
                from_q.mul(&ncv(&f)?)?
            };
            Quantity::new(energy.value_in(&den)? * ratio.value, num)
        } else {
            from_q.mul(ratio)?
        };
        let to_unit = self.canonical_unit(to);
        if out.unit.compatible(&gj) && !to_unit.compatible(&gj) {
            if let Some(f) = fuel_of(to) {
                out = out.div(&ncv(&f)?)?;
            }
        }
        out.value_in(&to_unit).map_err(|e| {
            Error::Data(DataError::new(
                self.here(),
                format!("switch {from} → {to}: {e}"),
            ))
        })
    }

    fn entries(&self, item: &str) -> Vec<(String, Entry)> {
        self.amounts
            .iter()
            .filter(|((i, _), _)| i == item)
            .map(|((_, n), e)| (n.clone(), e.clone()))
            .collect()
    }

    fn total_of(&self, item: &str) -> Option<(Decimal, InputUsed)> {
        let es = self.entries(item);
        if es.is_empty() {
            return None;
        }
        let value: Decimal = es.iter().map(|(_, e)| e.value).sum();
        let measured = es.iter().any(|(_, e)| e.origin == InputOrigin::Measured);
        let from = es
            .iter()
            .map(|(_, e)| e.from.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
            .join("; ");
        Some((
            value,
            InputUsed {
                item: item.to_string(),
                value,
                unit: self.canonical_unit(item).symbol().to_string(),
                origin: if measured {
                    InputOrigin::Measured
                } else {
                    InputOrigin::Default
                },
                from,
            },
        ))
    }

    fn prop(&self, item: &str, node: &str) -> Option<(Decimal, String)> {
        self.props
            .get(&(item.to_string(), node.to_string()))
            .or_else(|| self.props.get(&(item.to_string(), String::new())))
            .cloned()
    }

    fn control(&self, sub: Substance, node: &str) -> Option<(Decimal, InputUsed)> {
        let item = format!("control.{}.efficiency", sub.code());
        self.prop(&item, node).map(|(v, at)| {
            (
                v,
                InputUsed {
                    item,
                    value: v,
                    unit: "fraction".into(),
                    origin: InputOrigin::Measured,
                    from: at,
                },
            )
        })
    }

    fn recipe(&self, method: Method, node: &str) -> crate::Result<&'a Source> {
        let sector = self.sector;
        sector
            .sources
            .iter()
            .find(|s| s.method == method && s.node == node)
            .or_else(|| sector.sources.iter().find(|s| s.method == method))
            .ok_or_else(|| {
                Error::Data(DataError::new(
                    Location::file(&sector.path),
                    format!(
                        "sector {} has no {method:?} source for node '{node}'",
                        sector.id
                    ),
                ))
            })
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        settings: &Settings,
        src: &Source,
        node: &str,
        sub: Substance,
        amount: Decimal,
        tier: u8,
        factor_ids: Vec<String>,
        inputs: Vec<InputUsed>,
    ) {
        let memo = sub.category() == Category::Memo;
        self.rows.push(Row {
            node: node.to_string(),
            source: src.id.clone(),
            method: format!("{:?}", src.method).to_lowercase(),
            substance: sub.code().to_string(),
            amount,
            unit: "t".into(),
            tier,
            scope: if memo { 0 } else { src.scope },
            in_view: !memo && (settings.view == View::Footprint || src.in_compliance),
            factor_ids,
            inputs,
        });
    }

    /// Applies the end-of-pipe control efficiency of `sub` at `node`.
    fn controlled(
        &self,
        amount: Decimal,
        sub: Substance,
        node: &str,
        inputs: &mut Vec<InputUsed>,
    ) -> Decimal {
        match self.control(sub, node) {
            Some((eta, used)) => {
                inputs.push(used);
                amount * (Decimal::ONE - eta)
            }
            None => amount,
        }
    }

    fn run_sources(&mut self, settings: &Settings) -> crate::Result<()> {
        self.combustion(settings)?;
        self.electricity_and_heat(settings)?;
        let sector = self.sector;
        for src in &sector.sources {
            match src.method {
                Method::Anode => self.anode(settings, src)?,
                Method::Pfc => self.pfc(settings, src)?,
                Method::Carbonate => self.carbonate(settings, src)?,
                Method::WastewaterCh4 => self.wastewater(settings, src)?,
                Method::FertiliserN2o => self.fertiliser(settings, src)?,
                Method::Factor => self.factor_source(settings, src)?,
                Method::Discharge => self.discharge(settings, src)?,
                Method::Combustion | Method::Electricity | Method::Heat => {}
            }
        }
        Ok(())
    }

    /// Fuel property: measured (node, then facility) or the edition's tables.
    fn fuel_prop(
        &self,
        fuel: &str,
        prop: &str,
        node: &str,
        unit: &str,
    ) -> crate::Result<(Decimal, Option<String>, Option<String>)> {
        let item = format!("fuel.{fuel}.{prop}");
        let target = Unit::parse(unit)?;
        if let Some((v, at)) = self.prop(&item, node) {
            let v = self.canonical_unit(&item).convert(v, &target)?;
            return Ok((v, None, Some(at)));
        }
        let edition = &self.sector.editions[self.ctx.edition];
        // Library ids abbreviate the properties as in the guideline tables.
        let short = match prop {
            "carbon_content" => "cc",
            "oxidation" => "of",
            other => other,
        };
        for table in &edition.fuel_tables {
            let id = format!("fuel.{table}.{fuel}.{short}");
            if let Some(f) = self.lib.find(&id) {
                let v = f.unit.convert(f.value, &target).map_err(|e| {
                    Error::Data(DataError::new(self.here(), format!("factor '{id}': {e}")))
                })?;
                return Ok((v, Some(id), None));
            }
        }
        Err(Error::Data(DataError::new(
            self.here(),
            format!(
                "no default {prop} for fuel '{fuel}' in the {} tables ({}): give '{item}'",
                self.ctx.edition,
                edition.fuel_tables.join(", ")
            ),
        )))
    }

    fn combustion(&mut self, settings: &Settings) -> crate::Result<()> {
        let fuel_entries: Vec<((String, String), Entry)> = self
            .amounts
            .iter()
            .filter(|((i, _), _)| default_group(i) == "fuel")
            .map(|(k, e)| (k.clone(), e.clone()))
            .collect();
        let mut warned_solid = false;
        for ((item, node), entry) in fuel_entries {
            let fuel_id = &item["fuel.".len()..];
            let fuel = self.sectors.fuel(fuel_id).cloned().ok_or_else(|| {
                Error::Data(DataError::new(
                    self.here(),
                    format!("unknown fuel '{fuel_id}'"),
                ))
            })?;
            let src = self.recipe(Method::Combustion, &node)?;
            let fc = entry.value; // in the fuel's unit (t or 10^4 Nm3)
            let per = if fuel.state == FuelState::Gas {
                "GJ/10^4 Nm3"
            } else {
                "GJ/t"
            };
            let fc_unit = Unit::parse(&fuel.unit)?;
            let (ncv_raw, ncv_id, ncv_at) = self.fuel_prop(&fuel.id, "ncv", &node, per)?;
            // NCV per the fuel's own unit.
            let ncv = Unit::parse(per)?.convert(ncv_raw, &Unit::parse("GJ")?.div(&fc_unit)?)?;
            let (cc, cc_id, cc_at) = self.fuel_prop(&fuel.id, "carbon_content", &node, "tC/GJ")?;
            let (of, of_id, of_at) = self.fuel_prop(&fuel.id, "oxidation", &node, "fraction")?;
            let energy_gj = fc * ncv;
            self.energy_tce += energy_gj / crate::units::GJ_PER_TCE;
            let co2 = ratio(energy_gj * cc * of, CO2_PER_C);
            let measured_fc = entry.origin == InputOrigin::Measured;
            let measured_params = ncv_at.is_some() && cc_at.is_some();
            let tier = match (measured_fc, measured_params) {
                (false, _) => 1,
                (true, false) => 2,
                (true, true) => 3,
            };
            if fuel.state == FuelState::Solid && !fuel.biogenic && ncv_at.is_none() && !warned_solid
            {
                warned_solid = true;
                self.warnings.push(Warning {
                    location: self.here().to_string(),
                    message: format!(
                        "default NCV used for solid fuel '{}': solid-fuel defaults differ by up to ±13 % between guideline tables; give the measured fuel.{}.ncv",
                        fuel.id, fuel.id
                    ),
                });
            }
            let mut inputs = vec![InputUsed {
                item: item.clone(),
                value: fc,
                unit: fuel.unit.clone(),
                origin: entry.origin.clone(),
                from: entry.from.clone(),
            }];
            for (p, v, unit, at) in [
                ("ncv", ncv_raw, per, &ncv_at),
                ("carbon_content", cc, "tC/GJ", &cc_at),
                ("oxidation", of, "fraction", &of_at),
            ] {
                if let Some(at) = at {
                    inputs.push(InputUsed {
                        item: format!("fuel.{}.{p}", fuel.id),
                        value: v,
                        unit: unit.into(),
                        origin: InputOrigin::Measured,
                        from: at.clone(),
                    });
                }
            }
            let mut ids: Vec<String> = entry.factor_ids.clone();
            ids.extend([ncv_id, cc_id, of_id].into_iter().flatten());
            let sub = if fuel.biogenic {
                Substance::Co2Bio
            } else {
                Substance::Co2
            };
            self.push(settings, src, &node, sub, co2, tier, ids, inputs.clone());
            // SO2 by sulfur balance for solid and liquid fuels.
            if fuel.state != FuelState::Gas {
                let (s, s_ids, s_inputs) = match self
                    .prop(&format!("fuel.{}.sulfur", fuel.id), &node)
                {
                    Some((v, at)) => (
                        v,
                        vec![],
                        vec![InputUsed {
                            item: format!("fuel.{}.sulfur", fuel.id),
                            value: v,
                            unit: "fraction".into(),
                            origin: InputOrigin::Measured,
                            from: at,
                        }],
                    ),
                    None => {
                        let id = format!("fuel.sulfur_default.{}", fuel.id);
                        match self.lib.find(&id) {
                            Some(f) => (f.unit.convert(f.value, &Unit::one())?, vec![id], vec![]),
                            None => (Decimal::ZERO, vec![], vec![]),
                        }
                    }
                };
                if !s.is_zero() || !s_inputs.is_empty() {
                    let key = if fuel.state == FuelState::Solid {
                        "so2_retention_solid"
                    } else {
                        "so2_retention_liquid"
                    };
                    let (retention, ret_id) = match src.param(key, self.ctx.edition) {
                        Some(t) => {
                            let (v, id) = self.factor_in(t, "fraction")?;
                            (v, Some(id))
                        }
                        None => (Decimal::ZERO, None),
                    };
                    let mass_t = Unit::parse(&fuel.unit)?.convert(fc, &Unit::parse("t")?)?;
                    let mut inp = vec![inputs[0].clone()];
                    inp.extend(s_inputs);
                    let so2 = SO2_PER_S * mass_t * s * (Decimal::ONE - retention);
                    let so2 = self.controlled(so2, Substance::So2, &node, &mut inp);
                    let mut ids = entry.factor_ids.clone();
                    ids.extend(s_ids);
                    ids.extend(ret_id);
                    self.push(
                        settings,
                        src,
                        &node,
                        Substance::So2,
                        so2,
                        tier.min(2),
                        ids,
                        inp,
                    );
                }
            }
            // Other pollutants by factor (per t or per 10^4 Nm3 of fuel).
            if let Some(table) = src.pollutants.get(&fuel.id) {
                for (sub, template) in table {
                    if *sub == Substance::So2 && fuel.state != FuelState::Gas {
                        continue;
                    }
                    let (v, u, id) = self.factor(template)?;
                    let ef = Quantity::new(v, u);
                    let amount = Quantity::new(fc, fc_unit.clone())
                        .mul(&ef)?
                        .value_in(&Unit::parse("t")?)
                        .map_err(|e| {
                            Error::Data(DataError::new(self.here(), format!("factor '{id}': {e}")))
                        })?;
                    let mut inp = vec![inputs[0].clone()];
                    let amount = self.controlled(amount, *sub, &node, &mut inp);
                    let mut ids = entry.factor_ids.clone();
                    ids.push(id);
                    self.push(settings, src, &node, *sub, amount, tier.min(2), ids, inp);
                }
            }
        }
        Ok(())
    }

    /// The grid factor for the facility's year, in tCO2/MWh, with its id.
    fn grid(&mut self, settings: &Settings) -> crate::Result<(Decimal, String)> {
        match &settings.grid {
            GridFactor::Value(q) => Ok((
                q.value_in(&Unit::parse("tCO2/MWh")?)?,
                format!("{} (study setting)", q),
            )),
            GridFactor::Factor(id) => {
                if self.lib.contains(id) {
                    let (v, id) = self.factor_in(id, "tCO2/MWh")?;
                    return Ok((v, id));
                }
                let year_id = format!("{id}.{}", self.fy.year);
                if self.lib.contains(&year_id) {
                    let (v, id) = self.factor_in(&year_id, "tCO2/MWh")?;
                    return Ok((v, id));
                }
                // Nearest year of the series, earlier years first.
                let prefix = format!("{id}.");
                let mut years: Vec<(i32, String)> = self
                    .lib
                    .ids()
                    .filter_map(|x| {
                        x.strip_prefix(&prefix)
                            .and_then(|y| y.parse::<i32>().ok())
                            .map(|y| (y, x.to_string()))
                    })
                    .collect();
                years.sort_by_key(|(y, _)| ((y - self.fy.year).abs(), *y > self.fy.year));
                let Some((y, chosen)) = years.first().cloned() else {
                    return Err(Error::Data(
                        DataError::new(
                            self.here(),
                            format!("unknown grid factor '{id}' (neither a factor nor a series with years)"),
                        )
                        .with_hint(did_you_mean(id, self.lib.ids())),
                    ));
                };
                self.warnings.push(Warning {
                    location: self.here().to_string(),
                    message: format!(
                        "no grid factor '{year_id}': the nearest year {y} ('{chosen}') is used"
                    ),
                });
                let (v, id) = self.factor_in(&chosen, "tCO2/MWh")?;
                Ok((v, id))
            }
        }
    }

    fn grid_text(&self, settings: &Settings) -> String {
        self.rows
            .iter()
            .find(|r| r.method == "electricity")
            .and_then(|r| r.factor_ids.last().cloned())
            .unwrap_or_else(|| match &settings.grid {
                GridFactor::Factor(id) => id.clone(),
                GridFactor::Value(q) => q.to_string(),
            })
    }

    fn electricity_and_heat(&mut self, settings: &Settings) -> crate::Result<()> {
        let nodes: BTreeSet<String> = self
            .amounts
            .keys()
            .filter(|(i, _)| i.starts_with("electricity.") || i.starts_with("heat."))
            .map(|(_, n)| n.clone())
            .collect();
        for node in nodes {
            for (kind, method) in [("electricity", Method::Electricity), ("heat", Method::Heat)] {
                let get = |w: &Self, which: &str| {
                    w.amounts
                        .get(&(format!("{kind}.{which}"), node.clone()))
                        .cloned()
                };
                let (bought, sold) = (get(self, "purchased"), get(self, "exported"));
                if bought.is_none() && sold.is_none() {
                    continue;
                }
                let src = self.recipe(method, &node)?;
                let net = bought.as_ref().map(|e| e.value).unwrap_or_default()
                    - sold.as_ref().map(|e| e.value).unwrap_or_default();
                let (ef, id) = if method == Method::Electricity {
                    self.grid(settings)?
                } else {
                    self.factor_in(&settings.heat_factor, "tCO2/GJ")?
                };
                let unit = if method == Method::Electricity {
                    "MWh"
                } else {
                    "GJ"
                };
                let mut inputs = Vec::new();
                let mut ids = Vec::new();
                let mut measured = false;
                for (which, e) in [("purchased", &bought), ("exported", &sold)] {
                    if let Some(e) = e {
                        measured |= e.origin == InputOrigin::Measured;
                        ids.extend(e.factor_ids.clone());
                        inputs.push(InputUsed {
                            item: format!("{kind}.{which}"),
                            value: e.value,
                            unit: unit.into(),
                            origin: e.origin.clone(),
                            from: e.from.clone(),
                        });
                    }
                }
                ids.push(id);
                if method == Method::Electricity {
                    // Energy use at the calorific equivalent of electricity.
                    let (eq, _) = self.factor_in("const.tce.electricity_equivalent", "tce/MWh")?;
                    self.energy_tce += net * eq;
                } else {
                    self.energy_tce += net / crate::units::GJ_PER_TCE;
                }
                let tier = if measured { 2 } else { 1 };
                let mut ef = ef;
                if method == Method::Electricity && !self.green_share.is_zero() {
                    inputs.push(InputUsed {
                        item: "green_power_share".into(),
                        value: self.green_share,
                        unit: "fraction".into(),
                        origin: InputOrigin::Measured,
                        from: "measure".into(),
                    });
                    ef *= Decimal::ONE - self.green_share;
                }
                self.push(
                    settings,
                    src,
                    &node,
                    Substance::Co2,
                    net * ef,
                    tier,
                    ids,
                    inputs,
                );
            }
        }
        Ok(())
    }

    fn node_activity(&self, node: &str) -> Decimal {
        self.activity.get(node).copied().unwrap_or_default()
    }

    fn anode(&mut self, settings: &Settings, src: &Source) -> crate::Result<()> {
        let p = self.node_activity(&src.node);
        let ed = self.ctx.edition;
        let param = |name: &str| {
            src.param(name, ed).ok_or_else(|| {
                Error::Data(DataError::new(
                    src.location.clone(),
                    format!("source '{}' needs parameter '{name}'", src.id),
                ))
            })
        };
        let mut inputs = Vec::new();
        let mut ids = Vec::new();
        let (nc_total, measured) = match self.total_of("anode.net_consumption") {
            Some((v, used)) => {
                let m = used.origin == InputOrigin::Measured;
                inputs.push(used);
                (v, m)
            }
            None => {
                let (nc, id) = self.factor_in(param("nc")?, "t/t")?;
                ids.push(id);
                inputs.push(InputUsed {
                    item: format!("{} output", src.node),
                    value: p,
                    unit: self.sector.output_unit.symbol().into(),
                    origin: InputOrigin::Default,
                    from: "flow solve".into(),
                });
                (p * nc, false)
            }
        };
        let mut fraction =
            |item: &str, key: &str, ids: &mut Vec<String>| -> crate::Result<Decimal> {
                match self.prop(item, &src.node) {
                    Some((v, at)) => {
                        inputs.push(InputUsed {
                            item: item.into(),
                            value: v,
                            unit: "fraction".into(),
                            origin: InputOrigin::Measured,
                            from: at,
                        });
                        Ok(v)
                    }
                    None => {
                        let (v, id) = self.factor_in(param(key)?, "fraction")?;
                        ids.push(id);
                        Ok(v)
                    }
                }
            };
        let s = fraction("anode.sulfur", "sulfur", &mut ids)?;
        let a = fraction("anode.ash", "ash", &mut ids)?;
        let tier = if measured { 2 } else { 1 };
        let subs = if src.substances.is_empty() {
            vec![Substance::Co2, Substance::So2]
        } else {
            src.substances.clone()
        };
        for sub in subs {
            match sub {
                Substance::Co2 => {
                    let co2 = ratio(nc_total * (Decimal::ONE - s - a), CO2_PER_C);
                    self.push(
                        settings,
                        src,
                        &src.node,
                        sub,
                        co2,
                        tier,
                        ids.clone(),
                        inputs.clone(),
                    );
                }
                Substance::So2 => {
                    let mut inp = inputs.clone();
                    let so2 = SO2_PER_S * nc_total * s;
                    let so2 = self.controlled(so2, sub, &src.node, &mut inp);
                    self.push(settings, src, &src.node, sub, so2, tier, ids.clone(), inp);
                }
                other => {
                    return Err(Error::Data(DataError::new(
                        src.location.clone(),
                        format!("the anode method gives CO2 and SO2, not {other}"),
                    )))
                }
            }
        }
        Ok(())
    }

    fn pfc(&mut self, settings: &Settings, src: &Source) -> crate::Result<()> {
        let p = self.node_activity(&src.node);
        let ed = self.ctx.edition;
        let param = |name: &str| {
            src.param(name, ed).ok_or_else(|| {
                Error::Data(DataError::new(
                    src.location.clone(),
                    format!("source '{}' needs parameter '{name}'", src.id),
                ))
            })
        };
        let mut inputs = vec![InputUsed {
            item: format!("{} output", src.node),
            value: p,
            unit: self.sector.output_unit.symbol().into(),
            origin: InputOrigin::Default,
            from: "flow solve".into(),
        }];
        let (cf4, c2f6, ids, tier) = match self.prop("pfc.aem", &src.node) {
            Some((aem, at)) => {
                inputs.push(InputUsed {
                    item: "pfc.aem".into(),
                    value: aem,
                    unit: "AEM".into(),
                    origin: InputOrigin::Measured,
                    from: at,
                });
                let (slope, sid) = self.factor_in(param("cf4_slope")?, "t/t/AEM")?;
                let (r, rid) = self.factor_in(param("c2f6_ratio")?, "fraction")?;
                let cf4 = slope * aem * p;
                (cf4, cf4 * r, vec![sid, rid], 2)
            }
            None => {
                let (f1, id1) = self.factor_in(param("cf4")?, "t/t")?;
                let (f2, id2) = self.factor_in(param("c2f6")?, "t/t")?;
                (f1 * p, f2 * p, vec![id1, id2], 1)
            }
        };
        self.push(
            settings,
            src,
            &src.node,
            Substance::Cf4,
            cf4,
            tier,
            ids.clone(),
            inputs.clone(),
        );
        self.push(
            settings,
            src,
            &src.node,
            Substance::C2f6,
            c2f6,
            tier,
            ids,
            inputs,
        );
        Ok(())
    }

    fn carbonate(&mut self, settings: &Settings, src: &Source) -> crate::Result<()> {
        for (item, template) in &src.items {
            let Some((mass, used)) = self.total_of(item) else {
                continue;
            };
            let (ef, id) = self.factor_in(template, "t/t")?;
            let tier = if used.origin == InputOrigin::Measured {
                2
            } else {
                1
            };
            let mut ids: Vec<String> = self
                .entries(item)
                .into_iter()
                .flat_map(|(_, e)| e.factor_ids)
                .collect();
            ids.push(id);
            self.push(
                settings,
                src,
                &src.node,
                Substance::Co2,
                mass * ef,
                tier,
                ids,
                vec![used],
            );
        }
        Ok(())
    }

    fn wastewater(&mut self, settings: &Settings, src: &Source) -> crate::Result<()> {
        let Some((removed, used)) = self.total_of("wastewater.cod_removed") else {
            return Ok(());
        };
        let ed = self.ctx.edition;
        let b0_t = src.param("b0", ed).unwrap_or("ww.b0");
        let (b0, b0_id) = self.factor_in(b0_t, "t/t")?;
        let mut inputs = vec![used.clone()];
        let mut ids: Vec<String> = self
            .entries("wastewater.cod_removed")
            .into_iter()
            .flat_map(|(_, e)| e.factor_ids)
            .collect();
        ids.push(b0_id);
        let mcf = match self.prop("wastewater.mcf", &src.node) {
            Some((v, at)) => {
                inputs.push(InputUsed {
                    item: "wastewater.mcf".into(),
                    value: v,
                    unit: "fraction".into(),
                    origin: InputOrigin::Measured,
                    from: at,
                });
                v
            }
            None => {
                let (v, id) = self.factor_in(
                    src.param("mcf", ed).unwrap_or("ww.mcf.anaerobic_reactor"),
                    "fraction",
                )?;
                ids.push(id);
                v
            }
        };
        let sludge = match self.total_of("wastewater.cod_sludge") {
            Some((v, u)) => {
                inputs.push(u);
                v
            }
            None => Decimal::ZERO,
        };
        let recovered = match self.total_of("biogas.ch4_recovered") {
            Some((v, u)) => {
                ids.extend(
                    self.entries("biogas.ch4_recovered")
                        .into_iter()
                        .flat_map(|(_, e)| e.factor_ids),
                );
                inputs.push(u);
                v
            }
            None => Decimal::ZERO,
        };
        let generated = (removed - sludge).max(Decimal::ZERO) * b0 * mcf;
        let mut ch4 = generated - recovered;
        if ch4 < Decimal::ZERO {
            self.warnings.push(Warning {
                location: self.here().to_string(),
                message: format!(
                    "recovered CH4 ({recovered} t) exceeds the CH4 generated ({generated} t): emission set to 0; check biogas.ch4_recovered"
                ),
            });
            ch4 = Decimal::ZERO;
        }
        let tier = if used.origin == InputOrigin::Measured {
            2
        } else {
            1
        };
        ids.sort();
        ids.dedup();
        self.push(
            settings,
            src,
            &src.node,
            Substance::Ch4,
            ch4,
            tier,
            ids.clone(),
            inputs.clone(),
        );
        // Recovered CH4 burnt gives biogenic CO2, counted once: here unless the
        // biogas is also reported as a fuel.
        let biogas_as_fuel = self.amounts.keys().any(|(i, _)| i == "fuel.biogas");
        if recovered > Decimal::ZERO && !biogas_as_fuel {
            let co2 = ratio(recovered.min(generated), CO2_PER_CH4);
            self.push(
                settings,
                src,
                &src.node,
                Substance::Co2Bio,
                co2,
                tier,
                ids,
                inputs,
            );
        }
        Ok(())
    }

    fn fertiliser(&mut self, settings: &Settings, src: &Source) -> crate::Result<()> {
        let Some((n, used)) = self.total_of("fertiliser.n") else {
            return Ok(());
        };
        let ed = self.ctx.edition;
        let mut ids: Vec<String> = self
            .entries("fertiliser.n")
            .into_iter()
            .flat_map(|(_, e)| e.factor_ids)
            .collect();
        let mut get = |k: &str| -> crate::Result<Decimal> {
            let t = src.param(k, ed).ok_or_else(|| {
                Error::Data(DataError::new(
                    src.location.clone(),
                    format!("source '{}' needs parameter '{k}'", src.id),
                ))
            })?;
            let (v, id) = self.factor_in(t, "fraction")?;
            ids.push(id);
            Ok(v)
        };
        let (ef1, gasf, ef4, leach, ef5) = (
            get("ef1")?,
            get("frac_gasf")?,
            get("ef4")?,
            get("frac_leach")?,
            get("ef5")?,
        );
        let n2o_n = n * (ef1 + gasf * ef4 + leach * ef5);
        let n2o = ratio(n2o_n, N2O_PER_N);
        let tier = if used.origin == InputOrigin::Measured {
            2
        } else {
            1
        };
        self.push(
            settings,
            src,
            &src.node,
            Substance::N2o,
            n2o,
            tier,
            ids,
            vec![used],
        );
        Ok(())
    }

    fn factor_source(&mut self, settings: &Settings, src: &Source) -> crate::Result<()> {
        let node = self.sector.node(&src.node).ok_or_else(|| {
            Error::Data(DataError::new(
                src.location.clone(),
                format!("unknown node '{}'", src.node),
            ))
        })?;
        let basis = Quantity::new(self.node_activity(&src.node), node.unit.clone());
        let ed = self.ctx.edition;
        let Some(template) = src.param("factor", ed) else {
            return Err(Error::Data(DataError::new(
                src.location.clone(),
                format!("source '{}' needs parameter 'factor'", src.id),
            )));
        };
        let (v, u, id) = self.factor(template)?;
        let generated = basis
            .mul(&Quantity::new(v, u))?
            .value_in(&Unit::parse("t")?)
            .map_err(|e| {
                Error::Data(DataError::new(
                    src.location.clone(),
                    format!("factor '{id}': {e}"),
                ))
            })?;
        let mut ids = vec![id];
        let inputs_base = vec![InputUsed {
            item: format!("{} activity", src.node),
            value: basis.value,
            unit: node.unit.symbol().into(),
            origin: InputOrigin::Default,
            from: "flow solve".into(),
        }];
        for sub in &src.substances {
            let mut inputs = inputs_base.clone();
            // A user control efficiency is the source's overall efficiency: it
            // replaces the default capture × removal (so 1 removes it all).
            let factor = match self.control(*sub, &src.node) {
                Some((eta, used)) => {
                    inputs.push(used);
                    Decimal::ONE - eta
                }
                None => match src.param("removal", ed) {
                    Some(t) => {
                        let (eta, id) = self.factor_in(t, "fraction")?;
                        ids.push(id);
                        let cap = match src.param("capture", ed) {
                            Some(t) => {
                                let (v, id) = self.factor_in(t, "fraction")?;
                                ids.push(id);
                                v
                            }
                            None => Decimal::ONE,
                        };
                        cap * (Decimal::ONE - eta) + (Decimal::ONE - cap)
                    }
                    None => Decimal::ONE,
                },
            };
            let amount = generated * factor;
            self.push(
                settings,
                src,
                &src.node,
                *sub,
                amount,
                1,
                ids.clone(),
                inputs,
            );
        }
        Ok(())
    }

    fn discharge(&mut self, settings: &Settings, src: &Source) -> crate::Result<()> {
        for (item, sub) in [
            ("discharge.cod", Substance::Cod),
            ("discharge.nh3n", Substance::Nh3n),
            ("discharge.tn", Substance::Tn),
            ("discharge.tp", Substance::Tp),
        ] {
            for (node, e) in self.entries(item) {
                let used = InputUsed {
                    item: item.into(),
                    value: e.value,
                    unit: "t".into(),
                    origin: e.origin.clone(),
                    from: e.from.clone(),
                };
                let tier = if e.origin == InputOrigin::Measured {
                    3
                } else {
                    1
                };
                self.push(
                    settings,
                    src,
                    &node,
                    sub,
                    e.value,
                    tier,
                    e.factor_ids.clone(),
                    vec![used],
                );
            }
        }
        Ok(())
    }

    /// Concentration × flue-gas volume: where a node has `stack.flow` and a
    /// `stack.<SUB>.concentration` (at measured O2) or
    /// `stack.<SUB>.concentration_ref` (at the reference O2, converted back with
    /// C = C_ref × (21 − O2)/(21 − O2_ref)), the measured mass replaces the
    /// computed rows of that substance at that node (tier 3).
    fn apply_stack_measurements(&mut self) -> crate::Result<()> {
        let flows: Vec<(String, Entry)> = self.entries("stack.flow");
        let twenty_one = dec!(0.21);
        for (node, flow) in flows {
            let subs: BTreeSet<Substance> = self
                .props
                .keys()
                .filter(|(i, n)| i.starts_with("stack.") && (n == &node || n.is_empty()))
                .filter_map(|(i, _)| {
                    let rest = i.strip_prefix("stack.")?;
                    let (sub, which) = rest.rsplit_once('.')?;
                    which
                        .starts_with("concentration")
                        .then(|| Substance::parse(sub))?
                })
                .collect();
            for sub in subs {
                let mut inputs = vec![InputUsed {
                    item: "stack.flow".into(),
                    value: flow.value,
                    unit: "Nm3".into(),
                    origin: flow.origin.clone(),
                    from: flow.from.clone(),
                }];
                let mut ids = Vec::new();
                let c_item = format!("stack.{}.concentration", sub.code());
                let conc = match self.prop(&c_item, &node) {
                    Some((c, at)) => {
                        inputs.push(InputUsed {
                            item: c_item,
                            value: c,
                            unit: "mg/m3".into(),
                            origin: InputOrigin::Measured,
                            from: at,
                        });
                        c
                    }
                    None => {
                        let r_item = format!("stack.{}.concentration_ref", sub.code());
                        let Some((c_ref, at)) = self.prop(&r_item, &node) else {
                            continue;
                        };
                        inputs.push(InputUsed {
                            item: r_item,
                            value: c_ref,
                            unit: "mg/m3".into(),
                            origin: InputOrigin::Measured,
                            from: at,
                        });
                        let Some((o2, at)) = self.prop("stack.o2", &node) else {
                            return Err(Error::Data(DataError::new(
                                self.here(),
                                format!("stack.{}.concentration_ref at '{node}' needs the measured stack.o2 to convert it back", sub.code()),
                            )));
                        };
                        inputs.push(InputUsed {
                            item: "stack.o2".into(),
                            value: o2,
                            unit: "fraction".into(),
                            origin: InputOrigin::Measured,
                            from: at,
                        });
                        let o2_ref = match self.prop("stack.o2_ref", &node) {
                            Some((v, at)) => {
                                inputs.push(InputUsed { item: "stack.o2_ref".into(), value: v, unit: "fraction".into(), origin: InputOrigin::Measured, from: at });
                                v
                            }
                            // The ceramics standard's reference O2 is the default there;
                            // elsewhere the reference must be given.
                            None if self.sector.id == "ceramics" => {
                                let (v, id) =
                                    self.factor_in("cer.std.gb25464_amended.o2_ref", "fraction")?;
                                ids.push(id);
                                v
                            }
                            None => {
                                return Err(Error::Data(DataError::new(
                                    self.here(),
                                    format!("stack.{}.concentration_ref at '{node}' needs stack.o2_ref (the reference O2 of the standard)", sub.code()),
                                )))
                            }
                        };
                        if o2_ref >= twenty_one || o2 >= twenty_one {
                            return Err(Error::Data(DataError::new(
                                self.here(),
                                "oxygen contents must be below 21 % for the O2 correction",
                            )));
                        }
                        c_ref * (twenty_one - o2) / (twenty_one - o2_ref)
                    }
                };
                // mg/m3 × m3 = mg; 10^9 mg = 1 t
                let amount = conc * flow.value / dec!(1000000000);
                let before = self.rows.len();
                self.rows
                    .retain(|r| !(r.substance == sub.code() && r.node == node));
                if self.rows.len() != before {
                    self.warnings.push(Warning {
                        location: flow.from.clone(),
                        message: format!(
                            "the stack measurement of {} at '{node}' replaces {} computed row(s)",
                            sub.code(),
                            before - self.rows.len()
                        ),
                    });
                }
                let memo = sub.category() == Category::Memo;
                self.rows.push(Row {
                    node: node.clone(),
                    source: "stack".into(),
                    method: "concentration".into(),
                    substance: sub.code().into(),
                    amount,
                    unit: "t".into(),
                    tier: 3,
                    scope: if memo { 0 } else { 1 },
                    in_view: !memo,
                    factor_ids: ids,
                    inputs,
                });
            }
        }
        Ok(())
    }

    /// `emission.<SUB>` replaces the computed rows of that substance (at its
    /// node, or everywhere when given for the facility).
    fn apply_measured_emissions(&mut self) {
        let measured: Vec<((String, String), Entry)> = self
            .amounts
            .iter()
            .filter(|((i, _), _)| i.starts_with("emission."))
            .map(|(k, e)| (k.clone(), e.clone()))
            .collect();
        for ((item, node), e) in measured {
            let Some(sub) = Substance::parse(&item["emission.".len()..]) else {
                continue;
            };
            let before = self.rows.len();
            self.rows
                .retain(|r| !(r.substance == sub.code() && (node.is_empty() || r.node == node)));
            if self.rows.len() != before {
                self.warnings.push(Warning {
                    location: e.from.clone(),
                    message: format!(
                        "measured {item} replaces {} computed row(s)",
                        before - self.rows.len()
                    ),
                });
            }
            let memo = sub.category() == Category::Memo;
            self.rows.push(Row {
                node: if node.is_empty() {
                    "facility".into()
                } else {
                    node.clone()
                },
                source: "measured".into(),
                method: "measured".into(),
                substance: sub.code().into(),
                amount: e.value,
                unit: "t".into(),
                tier: 3,
                scope: if memo { 0 } else { 1 },
                in_view: !memo,
                factor_ids: vec![],
                inputs: vec![InputUsed {
                    item: item.clone(),
                    value: e.value,
                    unit: "t".into(),
                    origin: InputOrigin::Measured,
                    from: e.from.clone(),
                }],
            });
        }
    }

    fn add_co2e_rows(&mut self, settings: &Settings) -> crate::Result<()> {
        let mut extra = Vec::new();
        for r in &self.rows {
            let Some(sub) = Substance::parse(&r.substance) else {
                continue;
            };
            if !sub.is_ghg() {
                continue;
            }
            let id = format!("gwp.{}.{}", settings.gwp.key(), sub.code().to_lowercase());
            let (gwp, id) = self.factor_in(&id, "t/t")?;
            let mut row = r.clone();
            row.substance = "CO2e".into();
            row.amount = r.amount * gwp;
            row.factor_ids.push(id);
            extra.push(row);
        }
        // Keep each CO2e row right after its gas row.
        let mut out = Vec::with_capacity(self.rows.len() + extra.len());
        let mut extra = extra.into_iter().peekable();
        for r in std::mem::take(&mut self.rows) {
            let is_ghg = Substance::parse(&r.substance).is_some_and(|s| s.is_ghg());
            out.push(r);
            if is_ghg {
                if let Some(x) = extra.next() {
                    out.push(x);
                }
            }
        }
        self.rows = out;
        Ok(())
    }

    fn totals(&mut self, output: Decimal) -> crate::Result<Totals> {
        let mut t = Totals::default();
        for r in &self.rows {
            *t.by_substance.entry(r.substance.clone()).or_default() += r.amount;
            if r.substance == "CO2e" {
                if r.in_view {
                    t.co2e += r.amount;
                }
                match r.scope {
                    1 => t.co2e_scope1 += r.amount,
                    2 => t.co2e_scope2 += r.amount,
                    _ => {}
                }
            }
            if r.substance == Substance::Co2Bio.code() {
                t.co2_biogenic_memo += r.amount;
            }
        }
        t.energy_tce = self.energy_tce;
        let air = [
            (Substance::So2, "pev.air.so2"),
            (Substance::Nox, "pev.air.nox"),
            (Substance::Co, "pev.air.co"),
            (Substance::Fluoride, "pev.air.fluoride"),
            (Substance::Pm, "pev.air.general_dust"),
            (Substance::Nh3, "pev.air.nh3"),
            (Substance::PitchFume, "pev.air.pitch_fume"),
            (Substance::Vocs, "pev.air.vocs"),
        ];
        let water = [
            (Substance::Cod, "pev.water.cod"),
            (Substance::Nh3n, "pev.water.nh3n"),
            (Substance::Tp, "pev.water.tp"),
        ];
        for (list, acc) in [(&air[..], &mut t.apeq), (&water[..], &mut t.wpeq)] {
            for (sub, id) in list {
                if let Some(amount) = t.by_substance.get(sub.code()) {
                    let (pev, _) = self.factor_in(id, "t/eq")?;
                    *acc += *amount / pev;
                }
            }
        }
        t.pollution_equivalent_weighting = "EP Tax Law annex 2 pollution-equivalent values: N = Σ E_i / PEV_i (air: SO2 0.95, NOx 0.95, CO 16.7, fluoride 0.87, PM as general dust 4, NH3 9.09, pitch fume 0.19, VOCs 0.95 kg; water: COD 1, NH3-N 0.8, TP 0.25 kg); TN has no PEV and is reported separately".into();
        t.co2e_per_output = if output.is_zero() {
            None
        } else {
            Some(t.co2e / output)
        };
        if !output.is_zero() {
            t.per_output = t
                .by_substance
                .iter()
                .map(|(k, v)| (k.clone(), *v / output))
                .collect();
        }
        Ok(t)
    }
}

/// A workbook study, computed: the study as read, the factor library with its
/// overrides, and one inventory per facility-year.
pub struct WorkbookRun {
    pub study: crate::workbook::Study,
    pub factors: FactorLibrary,
    pub inventories: Vec<Inventory>,
}

impl WorkbookRun {
    /// The run restricted to the study's base year (the `base_year` setting,
    /// else the latest year), for the commands that take one base year
    /// (roadmap, measures, uncertainty): years are never added together.
    pub fn base_year_only(self) -> WorkbookRun {
        let study = self.study.base_year_only();
        let year = study.chosen_base_year();
        let inventories = self
            .inventories
            .into_iter()
            .filter(|i| year.is_none_or(|y| i.year == y))
            .collect();
        WorkbookRun {
            study,
            factors: self.factors,
            inventories,
        }
    }
}

/// Reads a workbook and computes every facility-year. Reading problems and
/// engine problems come back together as located findings.
pub fn run_workbook(
    path: &std::path::Path,
    factors: &FactorLibrary,
    sectors: &SectorLibrary,
) -> Result<WorkbookRun, crate::workbook::WorkbookError> {
    use crate::workbook::WorkbookError;
    let study = crate::workbook::read(path, factors, sectors)?;
    let invalid = |findings| WorkbookError::Invalid {
        path: path.display().to_string(),
        findings,
    };
    let lib = study.factors(factors).map_err(invalid)?;
    let inventories = match inventories(&study.settings, &lib, sectors, &study.facility_years) {
        Ok(i) => i,
        Err(Error::Data(e)) => return Err(invalid(vec![e])),
        Err(Error::Invalid(es)) => return Err(invalid(es)),
        Err(e) => {
            return Err(invalid(vec![DataError::new(
                Location::file(path.display().to_string()),
                e.to_string(),
            )]))
        }
    };
    Ok(WorkbookRun {
        study,
        factors: lib,
        inventories,
    })
}
