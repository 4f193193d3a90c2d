//! Units and exact quantities.
//!
//! A [`Unit`] is a product of powers of a few base dimensions with an exact
//! decimal scale to the base unit of each (t, GJ, m3, m2, CNY, item, pollution
//! equivalent, anode-effect minute per cell-day, mV-day, year). A [`Quantity`] is a
//! `rust_decimal::Decimal` with its unit. Nothing here touches `f64`.
//!
//! Unit strings are accepted in English and Chinese (`t`, `吨`, `万kWh`,
//! `万千瓦时`, `10^4 Nm3`, `万立方米`, `tce`, `吨标准煤`, …) and compound units are
//! written with `/` (`GJ/10^4 Nm3`, `tCO2/MWh`). A mass unit may carry a
//! substance tag (`tCO2`, `kgCOD`, `t Al`) which documents the unit and does not
//! change its dimension.
//!
//! Time is a dimension of its own (base: the year, `a`, `yr`, `年`), so
//! capacities written per year (`t/a`, `万吨/年`, `万m2/a`, `平方米/年`) are rates
//! that convert like any other unit; [`Unit::annual`] turns a rate into the
//! amount of one year, which is how a rate given for an annual activity item
//! is read.

use crate::text::{Lang, Text};
use crate::tr;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::fmt;

mod decimal;
mod dims;
pub use decimal::*;
pub use dims::{BaseDim, Dims};

/// Gigajoules per tonne of coal equivalent: 1 tce = 7 000 kcal/kg × 4.1868 kJ/kcal
/// = 29.3076 GJ, the constant of GB/T 2589-2020 (综合能耗计算通则). The factor
/// library carries the same value as `const.tce.gj_per_tce` with its source, and a
/// test keeps the two equal.
pub const GJ_PER_TCE: Decimal = dec!(29.3076);

/// Gigajoules per megawatt-hour (3.6 GJ, by definition of the watt-hour).
pub const GJ_PER_MWH: Decimal = dec!(3.6);

/// The largest magnitude an activity value or a factor value may have, in its
/// canonical unit (t, GJ, MWh, m2, CNY, …): 10^15.
///
/// Why this bound: the largest plausible facility-year is far below it (a
/// 500 kt aluminium smelter buys about 7 × 10^6 MWh; a very large coal user
/// burns about 10^7 t; a big tile plant makes about 10^8 m2; capital costs stay
/// below 10^11 CNY), so the bound leaves a margin of more than 10^6 over any
/// real value, while a product of two bounded values (10^30) shows that
/// checked arithmetic is still needed: the engine checks every product and sum
/// too (see `accounting`), and reports an overflow with its facility-year and
/// operation. A `Decimal` holds at most about 7.9 × 10^28.
pub const MAX_MAGNITUDE: Decimal = dec!(1_000_000_000_000_000);

/// Why `value` (in `unit`) is outside ±[`MAX_MAGNITUDE`], or None.
pub fn magnitude_problem(value: Decimal, unit: &str) -> Option<Text> {
    if value.abs() > MAX_MAGNITUDE {
        Some(tr!(
            "{value} {unit} is out of range: values are limited to ±1e15 in their canonical unit (far above any real facility-year)",
            "{value} {unit} 超出取值范围：数值按其标准单位计限于 ±1e15（远高于任何实际设施年度的数值）"
        ))
    } else {
        None
    }
}

/// A unit: its text as written, its dimensions and its exact scale to base units.
///
/// One pointer: every activity row of a study holds a clone of a cached
/// parse (a million rows, a few dozen spellings), which is 8 bytes a row
/// instead of the 48 of the unit itself.
#[derive(Clone)]
pub struct Unit(std::sync::Arc<UnitData>);

struct UnitData {
    symbol: String,
    dims: Dims,
    scale: Decimal,
}

impl Unit {
    fn of(symbol: String, dims: Dims, scale: Decimal) -> Unit {
        Unit(std::sync::Arc::new(UnitData {
            symbol,
            dims,
            scale,
        }))
    }
}

impl fmt::Debug for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Unit")
            .field("symbol", &self.0.symbol)
            .field("dims", &self.0.dims)
            .field("scale", &self.0.scale)
            .finish()
    }
}

impl PartialEq for Unit {
    /// Two units are equal when they measure the same thing on the same scale,
    /// whatever their spelling (`万kWh` == `10 MWh`-scale is not implied; `t` == `吨`).
    fn eq(&self, other: &Self) -> bool {
        self.0.dims == other.0.dims && self.0.scale == other.0.scale
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.symbol)
    }
}

/// Errors of unit parsing and arithmetic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnitError {
    /// The text is not a unit this engine knows.
    #[error("unknown unit '{input}'{}", .suggestion.as_ref().map(|s| format!(" ({s})")).unwrap_or_default())]
    Unknown {
        input: String,
        suggestion: Option<String>,
    },
    /// Two quantities of different dimensions were combined or converted.
    #[error("cannot combine '{left}' ({left_dims}) with '{right}' ({right_dims}): the dimensions differ")]
    Incompatible {
        left: String,
        left_dims: String,
        right: String,
        right_dims: String,
    },
    /// Division by a zero quantity.
    #[error("division by zero '{0}'")]
    DivisionByZero(String),
    /// A result too large for a 96-bit decimal.
    #[error("arithmetic overflow in {0}")]
    Overflow(String),
}

impl UnitError {
    /// The error in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            UnitError::Unknown { input, suggestion } => {
                let hint = suggestion
                    .as_ref()
                    .map(|s| {
                        let zh = crate::suggest::suggestion_zh(s).unwrap_or_else(|| s.clone());
                        format!("（{zh}）")
                    })
                    .unwrap_or_default();
                format!("未知单位“{input}”{hint}")
            }
            UnitError::Incompatible {
                left,
                left_dims,
                right,
                right_dims,
            } => format!(
                "“{left}”（{left_dims}）与“{right}”（{right_dims}）量纲不同，不能合并或换算"
            ),
            UnitError::DivisionByZero(q) => format!("除数为零：“{q}”"),
            UnitError::Overflow(what) => format!("{what} 的计算超出数值范围（溢出）"),
        }
    }
}

/// The error in both languages (a finding's message).
impl From<&UnitError> for Text {
    fn from(e: &UnitError) -> Self {
        Text::new(e.to_string(), e.text(Lang::Zh))
    }
}

impl From<UnitError> for Text {
    fn from(e: UnitError) -> Self {
        Text::from(&e)
    }
}

/// One known unit spelling.
struct Known {
    names: &'static [&'static str],
    dim: Option<BaseDim>,
    scale: Decimal,
}

/// The unit table: every spelling accepted, with its base dimension and scale.
/// Scales are exact: 1 kWh = 0.0036 GJ; 1 kgce = 0.0293076 GJ (GB/T 2589).
fn known_units() -> &'static [Known] {
    use BaseDim::*;
    static TABLE: std::sync::OnceLock<Vec<Known>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        vec![
            // mass (base: t)
            k(&["mg", "毫克"], Some(Mass), dec!(0.000000001)),
            k(&["g", "克"], Some(Mass), dec!(0.000001)),
            k(&["kg", "千克", "公斤"], Some(Mass), dec!(0.001)),
            k(&["t", "吨", "tonne", "tonnes"], Some(Mass), dec!(1)),
            k(&["万t", "万吨", "10^4 t", "10^4t"], Some(Mass), dec!(10000)),
            k(&["kt", "千吨"], Some(Mass), dec!(1000)),
            // energy (base: GJ)
            k(&["MJ", "兆焦"], Some(Energy), dec!(0.001)),
            k(&["GJ", "吉焦"], Some(Energy), dec!(1)),
            k(&["TJ", "太焦"], Some(Energy), dec!(1000)),
            k(&["kWh", "千瓦时", "度"], Some(Energy), dec!(0.0036)),
            k(&["MWh", "兆瓦时"], Some(Energy), dec!(3.6)),
            k(&["GWh", "吉瓦时"], Some(Energy), dec!(3600)),
            k(
                &["万kWh", "万千瓦时", "10^4 kWh", "10^4kWh", "万度"],
                Some(Energy),
                dec!(36),
            ),
            k(
                &["kgce", "千克标准煤", "kg ce"],
                Some(Energy),
                dec!(0.0293076),
            ),
            k(&["tce", "吨标准煤", "t ce"], Some(Energy), GJ_PER_TCE),
            k(&["万tce", "万吨标准煤"], Some(Energy), dec!(293076)),
            // volume (base: m3; Nm3 for gases)
            k(&["L", "l", "升"], Some(Volume), dec!(0.001)),
            k(&["kL", "kl", "千升"], Some(Volume), dec!(1)),
            k(
                &[
                    "m3",
                    "m³",
                    "Nm3",
                    "Nm³",
                    "立方米",
                    "标准立方米",
                    "标方",
                    "方",
                ],
                Some(Volume),
                dec!(1),
            ),
            k(
                &[
                    "10^4 Nm3",
                    "10^4Nm3",
                    "10^4 m3",
                    "10^4m3",
                    "万Nm3",
                    "万m3",
                    "万m³",
                    "万立方米",
                    "万标准立方米",
                    "万标方",
                    "万方",
                ],
                Some(Volume),
                dec!(10000),
            ),
            // area (base: m2)
            k(&["m2", "m²", "㎡", "平方米"], Some(Area), dec!(1)),
            k(
                &["万m2", "万m²", "万㎡", "万平方米", "10^4 m2", "10^4m2"],
                Some(Area),
                dec!(10000),
            ),
            k(&["ha", "公顷", "hm2"], Some(Area), dec!(10000)),
            // money (base: CNY)
            k(&["CNY", "元", "yuan", "RMB"], Some(Money), dec!(1)),
            k(&["万元", "10^4 CNY"], Some(Money), dec!(10000)),
            k(&["亿元"], Some(Money), dec!(100000000)),
            // counts
            k(&["item", "items", "个", "台", "座"], Some(Count), dec!(1)),
            k(&["eq", "equivalent", "当量"], Some(Equivalent), dec!(1)),
            k(
                &[
                    "AEM",
                    "AE-min/cell-day",
                    "min/cell-day",
                    "分钟/槽·日",
                    "分钟/(槽·日)",
                    "分/槽·日",
                ],
                Some(AnodeEffect),
                dec!(1),
            ),
            k(&["mV-day"], Some(Overvoltage), dec!(1)),
            // time (base: year); capacities are written per year (t/a, 万吨/年)
            k(&["a", "yr", "year", "年", "annum"], Some(Time), dec!(1)),
            // dimensionless
            k(&["fraction", "1", "-", "ratio", "比例"], None, dec!(1)),
            k(&["%", "percent", "％"], None, dec!(0.01)),
        ]
    })
}

fn k(names: &'static [&'static str], dim: Option<BaseDim>, scale: Decimal) -> Known {
    Known { names, dim, scale }
}

impl Unit {
    /// Parses a unit string (English or Chinese; compound units with `/`).
    /// Results are cached per thread: the engine parses the same few units
    /// many times per inventory.
    pub fn parse(input: &str) -> Result<Unit, UnitError> {
        thread_local! {
            static CACHE: std::cell::RefCell<rustc_hash::FxHashMap<String, Result<Unit, UnitError>>> =
                std::cell::RefCell::new(rustc_hash::FxHashMap::default());
        }
        if let Some(hit) = CACHE.with(|c| c.borrow().get(input).cloned()) {
            return hit;
        }
        let parsed = Unit::parse_uncached(input);
        CACHE.with(|c| {
            let mut c = c.borrow_mut();
            if c.len() < 4096 {
                c.insert(input.to_string(), parsed.clone());
            }
        });
        parsed
    }

    fn parse_uncached(input: &str) -> Result<Unit, UnitError> {
        let text = normalise(input);
        let unknown = || UnitError::Unknown {
            input: input.to_string(),
            suggestion: crate::suggest::did_you_mean(input, all_spellings()),
        };
        if text.is_empty() {
            return Err(unknown());
        }
        // Whole-string spellings first: some contain '/' (AE-min/cell-day).
        if let Some((dims, scale)) = lookup_term(&text) {
            return Ok(Unit::of(input.trim().into(), dims, scale));
        }
        let mut parts = text.split('/');
        let first = parts.next().unwrap_or_default();
        let (mut dims, mut scale) = lookup_term(first).ok_or_else(unknown)?;
        for part in parts {
            let (d, s) = lookup_term(part).ok_or_else(unknown)?;
            dims = dims.div(d);
            scale = scale.checked_div(s).ok_or_else(unknown)?;
        }
        Ok(Unit::of(input.trim().into(), dims, scale))
    }

    /// The dimensionless unit 1.
    pub fn one() -> Unit {
        static ONE: std::sync::LazyLock<Unit> =
            std::sync::LazyLock::new(|| Unit::of("1".into(), Dims::NONE, Decimal::ONE));
        ONE.clone()
    }

    /// The unit's dimensions.
    pub fn dims(&self) -> Dims {
        self.0.dims
    }
    /// Its exact scale to the base units of its dimensions.
    pub fn scale(&self) -> Decimal {
        self.0.scale
    }
    /// The unit as written.
    pub fn symbol(&self) -> &str {
        &self.0.symbol
    }
    /// True when `other` has the same dimensions (so one converts into the other).
    pub fn compatible(&self, other: &Unit) -> bool {
        self.0.dims == other.0.dims
    }
    /// True for a rate per year (`t/a`, `万吨/年`, `m2/a`).
    pub fn is_per_year(&self) -> bool {
        self.0.dims.0[BaseDim::Time as usize] == -1
    }

    /// The amount of one year of a rate per year (`万t/a` → `万t`, exactly);
    /// `None` for a unit that is not a rate per year.
    pub fn annual(&self) -> Option<Unit> {
        if !self.is_per_year() {
            return None;
        }
        let mut dims = self.0.dims;
        dims.0[BaseDim::Time as usize] = 0;
        let trimmed = self.0.symbol.trim();
        let symbol = ["/a", "/yr", "/year", "/年", "/annum", "／年"]
            .iter()
            .find_map(|s| trimmed.strip_suffix(s))
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|| format!("{trimmed}·a"));
        Some(Unit::of(symbol, dims, self.0.scale))
    }

    /// True for a mass unit (t, kg, 万t, …).
    pub fn is_mass(&self) -> bool {
        self.0.dims == Dims::base(BaseDim::Mass)
    }

    fn incompatible(&self, other: &Unit) -> UnitError {
        UnitError::Incompatible {
            left: self.0.symbol.to_string(),
            left_dims: self.0.dims.to_string(),
            right: other.0.symbol.to_string(),
            right_dims: other.0.dims.to_string(),
        }
    }

    /// Product of two units.
    pub fn mul(&self, other: &Unit) -> Result<Unit, UnitError> {
        Ok(Unit::of(
            joined(&[&self.0.symbol, "·", &other.0.symbol]),
            self.0.dims.mul(other.0.dims),
            self.0
                .scale
                .checked_mul(other.0.scale)
                .ok_or_else(|| UnitError::Overflow(format!("{} × {}", self, other)))?,
        ))
    }

    /// Quotient of two units.
    pub fn div(&self, other: &Unit) -> Result<Unit, UnitError> {
        Ok(Unit::of(
            joined(&[&self.0.symbol, "/(", &other.0.symbol, ")"]),
            self.0.dims.div(other.0.dims),
            self.0
                .scale
                .checked_div(other.0.scale)
                .ok_or_else(|| UnitError::Overflow(format!("{} / {}", self, other)))?,
        ))
    }

    /// The factor that turns a value in `self` into a value in `target`.
    pub fn factor_to(&self, target: &Unit) -> Result<Decimal, UnitError> {
        if self.0.dims != target.0.dims {
            return Err(self.incompatible(target));
        }
        if self.0.scale == target.0.scale {
            return Ok(Decimal::ONE);
        }
        self.0
            .scale
            .checked_div(target.0.scale)
            .ok_or_else(|| UnitError::Overflow(format!("{self} → {target}")))
    }

    /// Converts `value` from this unit into `target`, multiplying before dividing
    /// so that exact inputs stay exact (1 万kWh → 10 MWh).
    pub fn convert(&self, value: Decimal, target: &Unit) -> Result<Decimal, UnitError> {
        if self.0.dims != target.0.dims {
            return Err(self.incompatible(target));
        }
        if self.0.scale == target.0.scale {
            return Ok(value);
        }
        let base = value
            .checked_mul(self.0.scale)
            .ok_or_else(|| UnitError::Overflow(format!("{value} {self} → {target}")))?;
        base.checked_div(target.0.scale)
            .ok_or_else(|| UnitError::Overflow(format!("{value} {self} → {target}")))
    }
}

/// Every accepted spelling (for did-you-mean).
fn all_spellings() -> impl Iterator<Item = &'static str> {
    known_units().iter().flat_map(|k| k.names.iter().copied())
}

/// Folds full-width characters and spacing variants to the table's spellings.
fn normalise(input: &str) -> String {
    let mut s: String = input
        .trim()
        .chars()
        .map(|c| match c {
            // full-width ASCII block → ASCII
            '\u{FF01}'..='\u{FF5E}' if c != '％' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            '／' => '/',
            _ => c,
        })
        .collect();
    for (from, to) in [
        ("10⁴", "10^4"),
        ("×10^4", "10^4"),
        ("1e4", "10^4"),
        ("AE-min/cell-day", "AEM"),
        ("AE-min/(cell-day)", "AEM"),
        ("min/(cell-day)", "AEM"),
        ("min/cell-day", "AEM"),
        ("min/cell·day", "AEM"),
        ("分钟/(槽·日)", "AEM"),
        ("分钟/槽·日", "AEM"),
        ("分钟/槽日", "AEM"),
        ("分钟/槽·天", "AEM"),
        ("/yr", "/a"),
    ] {
        s = s.replace(from, to);
    }
    s
}

/// Looks up one term (no `/`): an exact spelling, or a mass unit with a substance tag.
fn lookup_term(term: &str) -> Option<(Dims, Decimal)> {
    let term = term.trim();
    let table = known_units();
    let to_dims = |d: Option<BaseDim>| d.map(Dims::base).unwrap_or(Dims::NONE);
    for kn in table {
        if kn.names.contains(&term) {
            return Some((to_dims(kn.dim), kn.scale));
        }
    }
    // Tolerate case differences for the Latin spellings (TCE, Kwh, NM3).
    let lower = term.to_lowercase();
    let mut case_matches = table.iter().filter(|kn| {
        kn.names
            .iter()
            .any(|n| n.is_ascii() && n.to_lowercase() == lower)
    });
    if let (Some(kn), None) = (case_matches.next(), case_matches.next()) {
        return Some((to_dims(kn.dim), kn.scale));
    }
    // A mass unit carrying a substance tag: tCO2, kgCOD, t Al, 万tCO2e.
    for (prefix, scale) in [
        ("万t", dec!(10000)),
        ("kg", dec!(0.001)),
        ("kt", dec!(1000)),
        ("t", dec!(1)),
        ("g", dec!(0.000001)),
    ] {
        if let Some(rest) = term.strip_prefix(prefix) {
            let rest = rest.trim_start();
            let mut chars = rest.chars();
            let tag_ok = chars.next().is_some_and(|c| c.is_ascii_uppercase())
                && rest
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.');
            if tag_ok {
                return Some((Dims::base(BaseDim::Mass), scale));
            }
        }
    }
    None
}

/// An exact amount with its unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub value: Decimal,
    pub unit: Unit,
}

impl Quantity {
    /// A quantity from a value and a parsed unit.
    pub fn new(value: Decimal, unit: Unit) -> Self {
        Quantity { value, unit }
    }

    /// Parses the unit text and builds the quantity.
    pub fn parse(value: Decimal, unit: &str) -> Result<Self, UnitError> {
        Ok(Quantity {
            value,
            unit: Unit::parse(unit)?,
        })
    }

    /// The same amount expressed in `target`.
    pub fn to(&self, target: &Unit) -> Result<Quantity, UnitError> {
        Ok(Quantity {
            value: self.unit.convert(self.value, target)?,
            unit: target.clone(),
        })
    }

    /// The value in `target`.
    pub fn value_in(&self, target: &Unit) -> Result<Decimal, UnitError> {
        self.unit.convert(self.value, target)
    }

    /// Sum, in the left operand's unit; an error naming both units when the
    /// dimensions differ.
    pub fn add(&self, other: &Quantity) -> Result<Quantity, UnitError> {
        let v =
            other
                .unit
                .convert(other.value, &self.unit)
                .map_err(|_| UnitError::Incompatible {
                    left: self.unit.0.symbol.to_string(),
                    left_dims: self.unit.0.dims.to_string(),
                    right: other.unit.0.symbol.to_string(),
                    right_dims: other.unit.0.dims.to_string(),
                })?;
        Ok(Quantity {
            value: self
                .value
                .checked_add(v)
                .ok_or_else(|| UnitError::Overflow(format!("{self} + {other}")))?,
            unit: self.unit.clone(),
        })
    }

    /// Difference, in the left operand's unit.
    pub fn sub(&self, other: &Quantity) -> Result<Quantity, UnitError> {
        self.add(&Quantity {
            value: -other.value,
            unit: other.unit.clone(),
        })
    }

    /// Product; units multiply.
    pub fn mul(&self, other: &Quantity) -> Result<Quantity, UnitError> {
        Ok(Quantity {
            value: self
                .value
                .checked_mul(other.value)
                .ok_or_else(|| UnitError::Overflow(format!("{self} × {other}")))?,
            unit: self.unit.mul(&other.unit)?,
        })
    }

    /// Quotient; units divide. Division by zero is an error, never infinity.
    pub fn div(&self, other: &Quantity) -> Result<Quantity, UnitError> {
        if other.value.is_zero() {
            return Err(UnitError::DivisionByZero(other.to_string()));
        }
        Ok(Quantity {
            value: self
                .value
                .checked_div(other.value)
                .ok_or_else(|| UnitError::Overflow(format!("{self} / {other}")))?,
            unit: self.unit.div(&other.unit)?,
        })
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.value.normalize(), self.unit)
    }
}

/// Strings end to end in one allocation: a product unit's symbol is built
/// for every multiplication on the accounting path, where `format!`'s
/// machinery cost more than the arithmetic.
fn joined(parts: &[&str]) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        s.push_str(p);
    }
    s
}

/// The multiplier that puts a nitrogen emission factor on the N basis of
/// IPCC's Tier 1 tables (kg N2O-N per kg N), read from the substance tag of
/// its numerator: `kgN2O-N/kgN`, `kg N/kg N`, `fraction` and `%` are on the N
/// basis already (1); `kgN2O/kgN` counts the whole N2O molecule, so it is
/// multiplied by 28/44 (the N2O-N in N2O). The tag is the only place the two
/// differ, so a factor given in real kg N2O is converted once, not twice.
/// Any other tag is an error naming the two accepted forms.
pub fn nitrogen_basis(unit: &Unit) -> Result<Decimal, Text> {
    let symbol = unit.symbol();
    let numerator = symbol.split('/').next().unwrap_or_default().trim();
    let tag = ["万t", "kg", "kt", "mg", "g", "t"]
        .iter()
        .find_map(|p| numerator.strip_prefix(p))
        .map(str::trim)
        .unwrap_or_default();
    match tag {
        "" | "N" | "N2O-N" | "N2ON" => Ok(Decimal::ONE),
        "N2O" => Ok(dec!(28) / dec!(44)),
        other => Err(tr!(
            "'{symbol}' names '{other}': a nitrogen emission factor is kg N2O-N per kg N (kgN2O-N/kgN, the IPCC basis) or kg N2O per kg N (kgN2O/kgN)",
            "“{symbol}”标注的是“{other}”：氮排放因子应为每 kg N 的 kg N2O-N（kgN2O-N/kgN，IPCC 的基准）或每 kg N 的 kg N2O（kgN2O/kgN）"
        )),
    }
}

#[cfg(test)]
mod tests;
