//! Reading a facility-year's activity: items checked against the sector's
//! vocabulary and converted to canonical units, measured values recorded; and
//! the factor edits of measures, applied to a copy of the library.

use super::*;
use crate::graph::items::ItemSpec;

/// `'item': problem` in both languages.
fn item_problem(item: &str, problem: &Text) -> Text {
    Text::new(
        format!("'{item}': {}", problem.en),
        format!("“{item}”：{}", problem.get(Lang::Zh)),
    )
}

impl<'a> Work<'a> {
    pub(super) fn fuel_ids(&self) -> Vec<&'a str> {
        self.sectors.fuel_ids()
    }

    pub(super) fn here(&self) -> Location {
        Location::api(tr!(
            "facility '{}' year {}",
            "设施“{}” {} 年",
            self.fy.facility_id,
            self.fy.year
        ))
    }

    /// The canonical unit of an item.
    pub(super) fn canonical_unit(&self, item: &str) -> Unit {
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
    pub(super) fn read_activity(&mut self) -> crate::Result<Decimal> {
        let fuels = self.fuel_ids();
        // A copy of the reference, so that the rows borrow the facility-year
        // and not `self`, which the steps below change.
        let fy = self.fy;
        let mut errors = Vec::new();
        let mut output = OutputRows::default();
        let mut measured: Vec<MeasuredRow> = Vec::new();
        for a in &fy.activity {
            let Some((item, node, spec)) = self.known_item(a, &fuels, &mut errors) else {
                continue;
            };
            let canonical = self.canonical_unit(item);
            if item == "output" {
                self.read_output(a, &canonical, &mut output, &mut errors);
                continue;
            }
            // Amounts may be given per unit of output; they are scaled later.
            let per_output = canonical.div(&self.sector.output_unit).ok();
            if !self.convertible(a, item, &spec, &canonical, per_output.as_ref(), &mut errors) {
                continue;
            }
            if spec.kind == ItemKind::Property {
                self.read_property(a, item, node, &canonical, &mut errors);
            } else if self.amount_in_bounds(a, item, &canonical, per_output.as_ref(), &mut errors) {
                measured.push((
                    item.to_string(),
                    node.map(str::to_string),
                    a.quantity.clone(),
                    a.location.clone(),
                ));
            }
        }
        let output = self.settled_output(output, errors)?;
        self.record_measured(measured, output)?;
        Ok(output)
    }

    /// The row's item and node, where the item is known and the node belongs
    /// to the sector; else the finding, and None.
    fn known_item<'r>(
        &self,
        a: &'r Activity,
        fuels: &[&str],
        errors: &mut Vec<DataError>,
    ) -> Option<(&'r str, Option<&'r str>, ItemSpec)> {
        let (item, node) = split_node(&a.item);
        let Some(spec) = item_spec(item, fuels) else {
            errors.push(
                DataError::new(
                    a.location.clone(),
                    tr!("unknown item '{item}'", "未知项目“{item}”"),
                )
                .with_hint(did_you_mean(
                    item,
                    item_examples(fuels).iter().map(String::as_str),
                )),
            );
            return None;
        };
        if let Some(n) = node {
            if self.sector.node(n).is_none() {
                let sector_id = &self.sector.id;
                errors.push(
                    DataError::new(
                        a.location.clone(),
                        tr!(
                            "unknown node '{n}' for sector {sector_id}",
                            "行业 {sector_id} 中没有节点“{n}”"
                        ),
                    )
                    .with_hint(did_you_mean(
                        n,
                        self.sector.nodes.iter().map(|x| x.id.as_str()),
                    )),
                );
                return None;
            }
        }
        Some((item, node, spec))
    }

    /// An `output` row: kept when it is a non-negative amount in the sector's
    /// output dimension and within bounds.
    fn read_output(
        &self,
        a: &Activity,
        canonical: &Unit,
        output: &mut OutputRows,
        errors: &mut Vec<DataError>,
    ) {
        let q = &a.quantity;
        output.rows += 1;
        match q.value_in(canonical) {
            Ok(v) if v < Decimal::ZERO => errors.push(DataError::new(
                a.location.clone(),
                tr!("output is negative ({q})", "产量为负值（{q}）"),
            )),
            Ok(v) if v > crate::units::MAX_MAGNITUDE => {
                let m = crate::units::magnitude_problem(v, canonical.symbol()).unwrap_or_default();
                errors.push(DataError::new(
                    a.location.clone(),
                    Text::new(
                        format!("output: {}", m.en),
                        format!("产量：{}", m.get(Lang::Zh)),
                    ),
                ))
            }
            Ok(v) => {
                if output.value.is_some() {
                    errors.push(DataError::new(
                        a.location.clone(),
                        tr!(
                            "output is given twice for this facility-year",
                            "本设施年份的产量填写了两次"
                        ),
                    ));
                }
                output.value = Some(v);
                output.at = Some(a.location.clone());
            }
            Err(_) => {
                let (unit, dims) = (&q.unit, q.unit.dims());
                let (sector_id, canonical_dims) = (&self.sector.id, canonical.dims());
                let (dims_zh, canonical_dims_zh) = (dims.zh(), canonical_dims.zh());
                errors.push(DataError::new(
                    a.location.clone(),
                    tr!(
                        "output is in '{unit}' ({dims}), but {sector_id} output is measured in '{canonical}' ({canonical_dims})",
                        "产量的单位为“{unit}”（{dims_zh}），但 {sector_id} 行业的产量以“{canonical}”（{canonical_dims_zh}）计量"
                    ),
                ))
            }
        }
    }

    /// Whether the row's unit converts to the item's canonical unit (or, for
    /// an amount, to the canonical unit per unit of output); else the finding.
    fn convertible(
        &self,
        a: &Activity,
        item: &str,
        spec: &ItemSpec,
        canonical: &Unit,
        per_output: Option<&Unit>,
        errors: &mut Vec<DataError>,
    ) -> bool {
        let q = &a.quantity;
        let dims_ok = q.unit.compatible(canonical)
            || (spec.kind == ItemKind::Amount && per_output.is_some_and(|p| q.unit.compatible(p)))
            || self.fuel_in_energy(item, spec, q).is_some();
        if !dims_ok {
            let (unit, dims) = (&q.unit, q.unit.dims());
            let canonical_dims = canonical.dims();
            let (dims_zh, canonical_dims_zh) = (dims.zh(), canonical_dims.zh());
            errors.push(DataError::new(
                a.location.clone(),
                tr!(
                    "'{item}' is in '{unit}' ({dims}), which cannot be converted to '{canonical}' ({canonical_dims})",
                    "“{item}”的单位为“{unit}”（{dims_zh}），无法换算为“{canonical}”（{canonical_dims_zh}）"
                ),
            ));
        }
        dims_ok
    }

    /// A property row (NCV, sulfur, control efficiency …): checked for its
    /// range and recorded once per item and node.
    fn read_property(
        &mut self,
        a: &Activity,
        item: &str,
        node: Option<&str>,
        canonical: &Unit,
        errors: &mut Vec<DataError>,
    ) {
        let q = &a.quantity;
        let v = match q.value_in(canonical) {
            Ok(v) => v,
            Err(e) => {
                errors.push(DataError::new(
                    a.location.clone(),
                    item_problem(item, &unit_text(&e)),
                ));
                return;
            }
        };
        if let Some(m) = crate::units::magnitude_problem(v, canonical.symbol()) {
            errors.push(DataError::new(a.location.clone(), item_problem(item, &m)));
            return;
        }
        let is_fraction = canonical.dims() == Dims::NONE;
        if is_fraction && (v < Decimal::ZERO || v > Decimal::ONE) {
            errors.push(DataError::new(
                a.location.clone(),
                tr!(
                    "'{item}' must lie between 0 and 1 (0–100 %), got {q}",
                    "“{item}”须介于 0 与 1 之间（0–100 %），实际为 {q}"
                ),
            ));
            return;
        }
        if !is_fraction && v < Decimal::ZERO {
            errors.push(DataError::new(
                a.location.clone(),
                tr!(
                    "'{item}' cannot be negative, got {q}",
                    "“{item}”不能为负值，实际为 {q}"
                ),
            ));
            return;
        }
        let key = (item.to_string(), node.unwrap_or("").to_string());
        if self.props.contains_key(&key) {
            let full = &a.item;
            errors.push(DataError::new(
                a.location.clone(),
                tr!(
                    "'{full}' is given twice for this facility-year",
                    "本设施年份的“{full}”填写了两次"
                ),
            ));
            return;
        }
        self.props.insert(key, (v, a.location.to_string()));
    }

    /// Whether a measured amount is non-negative and within bounds (in the
    /// canonical unit, or per unit of output); else the finding.
    fn amount_in_bounds(
        &self,
        a: &Activity,
        item: &str,
        canonical: &Unit,
        per_output: Option<&Unit>,
        errors: &mut Vec<DataError>,
    ) -> bool {
        let q = &a.quantity;
        if q.value < Decimal::ZERO {
            errors.push(DataError::new(
                a.location.clone(),
                tr!(
                    "'{item}' cannot be negative, got {q}",
                    "“{item}”不能为负值，实际为 {q}"
                ),
            ));
            return false;
        }
        // The bound applies in the canonical unit, or per unit of output; a
        // fuel given in energy units, in GJ.
        let fuel_in_energy = item.starts_with("fuel.")
            && energy_unit(q).is_some_and(|gj| !canonical.compatible(&gj));
        let problem = match energy_unit(q).filter(|_| fuel_in_energy) {
            Some(gj) => match q.value_in(&gj) {
                Ok(v) => crate::units::magnitude_problem(v, gj.symbol()),
                Err(e) => Some(unit_text(&e)),
            },
            None => {
                let in_canonical = q
                    .value_in(canonical)
                    .or_else(|_| q.value_in(per_output.unwrap_or(canonical)));
                match in_canonical {
                    Ok(v) => crate::units::magnitude_problem(v, canonical.symbol()),
                    Err(e) => Some(unit_text(&e)),
                }
            }
        };
        if let Some(m) = problem {
            errors.push(DataError::new(a.location.clone(), item_problem(item, &m)));
            return false;
        }
        true
    }

    /// The facility-year's output once every row is read: the findings if
    /// there are any (or if no output was given), and a warning for an
    /// output of zero.
    fn settled_output(
        &mut self,
        output: OutputRows,
        mut errors: Vec<DataError>,
    ) -> crate::Result<Decimal> {
        let Some(value) = output.value else {
            if output.rows > 0 {
                return Err(Error::from_findings(errors));
            }
            let label = &self.sector.output_label;
            errors.push(DataError::new(
                self.here(),
                tr!(
                    "no 'output' for this facility-year (in {label})",
                    "本设施年份缺少“output”（产量，单位：{label}）"
                ),
            ));
            return Err(Error::from_findings(errors));
        };
        if !errors.is_empty() {
            return Err(Error::from_findings(errors));
        }
        if value.is_zero() {
            // Legal (a plant idle all year), but every per-output amount,
            // intensity and measure cost of this facility-year becomes zero.
            let unit = &self.sector.output_unit;
            self.warnings.push(Warning::new(
                output.at.unwrap_or_else(|| self.here()),
                tr!(
                    "output is 0 {unit}: amounts given per unit of output, intensities and measure costs are zero for this facility-year (was the plant idle, or is the cell wrong?)",
                    "产量为 0 {unit}：本设施年份按单位产量给出的量、排放强度和措施成本均为零（是停产，还是单元格填错了？）"
                ),
            ));
        }
        Ok(value)
    }

    /// Normalises the measured amounts to totals in canonical units (those
    /// given per unit of output times `output`) and records them.
    fn record_measured(
        &mut self,
        measured: Vec<MeasuredRow>,
        output: Decimal,
    ) -> crate::Result<()> {
        let mut seen = BTreeSet::new();
        for (item, node, q, loc) in measured {
            let canonical = self.canonical_unit(&item);
            let mut conversion = None;
            // a fuel measured in t or 10^4 Nm3, given in energy units
            let in_energy = item.starts_with("fuel.") && !q.unit.compatible(&canonical);
            let total = if let Some(gj) = energy_unit(&q).filter(|_| in_energy) {
                let (amount, c) = self.fuel_from_energy(&item, node.as_deref(), &q, &gj, &loc)?;
                conversion = Some(c);
                Ok(amount)
            } else if q.unit.compatible(&canonical) {
                q.value_in(&canonical)
            } else {
                canonical
                    .div(&self.sector.output_unit)
                    .and_then(|per| q.value_in(&per))
                    .and_then(|v| {
                        v.checked_mul(output).ok_or_else(|| {
                            crate::units::UnitError::Overflow(format!("{q} × output {output}"))
                        })
                    })
            }
            .map_err(|e| {
                Error::Data(DataError::new(
                    loc.clone(),
                    item_problem(&item, &unit_text(&e)),
                ))
            })?;
            if let Some(m) = crate::units::magnitude_problem(total, canonical.symbol()) {
                return Err(Error::Data(DataError::new(loc, item_problem(&item, &m))));
            }
            let key = (item.clone(), node.clone().unwrap_or_default());
            if !seen.insert(key) {
                return Err(Error::Data(DataError::new(
                    loc,
                    tr!(
                        "'{item}' is given twice for this facility-year",
                        "本设施年份的“{item}”填写了两次"
                    ),
                )));
            }
            self.measured.push((item, node, total, loc, conversion));
        }
        Ok(())
    }

    /// For a fuel amount (`fuel.<f>`) given in energy units, GJ (or GJ per
    /// unit of output) where the fuel's own unit is a mass or a volume.
    fn fuel_in_energy(&self, item: &str, spec: &ItemSpec, q: &Quantity) -> Option<Unit> {
        let fuel = item.strip_prefix("fuel.")?;
        if spec.kind != ItemKind::Amount || fuel.contains('.') {
            return None;
        }
        let own = self.sectors.fuel(fuel)?;
        let own_unit = Unit::parse(&own.unit).ok()?;
        let gj = energy_unit(q)?;
        (!own_unit.compatible(&gj)).then_some(gj)
    }

    /// A fuel amount given in energy units (`9000 吨标准煤`) in the fuel's own
    /// unit: energy ÷ NCV, the NCV as combustion takes it (measured at the
    /// node or facility, else the edition's table), so that FC × NCV gives
    /// back the energy given (to the 28 significant digits of a division).
    fn fuel_from_energy(
        &self,
        item: &str,
        node: Option<&str>,
        q: &Quantity,
        gj: &Unit,
        loc: &Location,
    ) -> crate::Result<(Decimal, Conversion)> {
        let fuel_id = &item["fuel.".len()..];
        let fuel = self.sectors.fuel(fuel_id).ok_or_else(|| {
            Error::Data(DataError::new(
                loc.clone(),
                tr!("unknown fuel '{fuel_id}'", "未知燃料“{fuel_id}”"),
            ))
        })?;
        let energy = q.value_in(gj)?;
        let per = if fuel.state == FuelState::Gas {
            "GJ/10^4 Nm3"
        } else {
            "GJ/t"
        };
        let (ncv_raw, ncv_id, _) = self.fuel_prop(fuel_id, "ncv", node.unwrap_or(""), per)?;
        let fc_unit = Unit::parse(&fuel.unit)?;
        let ncv = Unit::parse(per)?.convert(ncv_raw, &Unit::parse("GJ")?.div(&fc_unit)?)?;
        if ncv.is_zero() {
            return Err(Error::Data(DataError::new(
                loc.clone(),
                tr!(
                    "'{item}' is given in energy units, but its NCV is 0: give fuel.{fuel_id}.ncv",
                    "“{item}”按能量单位填写，但其低位发热量为 0：请填写 fuel.{fuel_id}.ncv"
                ),
            )));
        }
        let amount = self.div(format!("{item}: energy ÷ NCV"), energy, ncv)?;
        let unit = &fuel.unit;
        let source = ncv_id.clone().unwrap_or_else(|| "measured".into());
        let note = format!("{q} = {energy} GJ ÷ NCV {ncv_raw} {per} ({source}) = {amount} {unit}");
        Ok((amount, Conversion { note, ncv_id }))
    }
}

/// GJ when the quantity is an energy (tce, GJ, MWh).
fn energy_unit(q: &Quantity) -> Option<Unit> {
    // the dimension first: this runs for every amount row of every facility-year
    if q.unit.dims() != crate::units::Dims::base(crate::units::BaseDim::Energy) {
        return None;
    }
    Unit::parse("GJ").ok()
}

/// A measured amount row as read: (item, node qualifier, quantity as given,
/// where), normalised to a total once the output is known.
type MeasuredRow = (String, Option<String>, Quantity, Location);

/// The `output` rows of a facility-year as read: the last valid value and
/// where it is, and how many rows gave an output (valid or not).
#[derive(Default)]
struct OutputRows {
    value: Option<Decimal>,
    at: Option<Location>,
    rows: usize,
}

/// Applies the `ScaleFactor` edits to a copy of the library (None when there are none).
pub(super) fn factor_edits(
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
                let Some(f) = copy.find(&id) else { continue };
                let old = f.value;
                let Some(new) = old.checked_mul(*multiplier) else {
                    return Err(Error::Data(DataError::new(
                        Location::api(tr!("measure edit of '{id}'", "措施对“{id}”的修改")),
                        tr!(
                            "{old} × {multiplier} is out of range",
                            "{old} × {multiplier} 超出数值范围"
                        ),
                    )));
                };
                (id, new, format!("measure edit: × {multiplier}"))
            }
            Edit::SetFactor { id, value, weight } => {
                let id = expand(id, sector, ctx);
                let Some(f) = copy.find(&id) else { continue };
                let old = f.value;
                let Some(new) = value
                    .checked_sub(f.value)
                    .and_then(|d| weight.checked_mul(d))
                    .and_then(|d| f.value.checked_add(d))
                else {
                    return Err(Error::Data(DataError::new(
                        Location::api(tr!("measure edit of '{id}'", "措施对“{id}”的修改")),
                        tr!(
                            "{old} toward {value} (weight {weight}) is out of range",
                            "{old} 向 {value} 调整（权重 {weight}）超出数值范围"
                        ),
                    )));
                };
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
            Location::api(tr!("measure edit of '{id}'", "措施对“{id}”的修改")),
        )
        .map_err(Error::Data)?;
    }
    Ok(Some(copy))
}

pub(super) fn item_matches(pattern: &str, item: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => item.starts_with(prefix) && !item[prefix.len()..].contains('.'),
        None => pattern == item,
    }
}

/// The method that consumes an item, to find where a facility-level value goes.
pub(super) fn consuming_method(item: &str) -> Option<Method> {
    Some(match item {
        i if i.starts_with("fuel.") => Method::Combustion,
        "electricity.purchased" | "electricity.exported" | "electricity.green" => {
            Method::Electricity
        }
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
pub(super) fn default_group(item: &str) -> &str {
    match item.strip_prefix("fuel.") {
        Some(f) if !f.contains('.') => "fuel",
        _ => item,
    }
}
