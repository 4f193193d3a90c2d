//! The `activity` sheet: one value per facility, year and item, with its unit,
//! note and uncertainty, grouped into facility-years.

use super::*;
use crate::graph::items::ItemSpec;
use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

pub(super) fn read_activity(
    t: &Table<'_>,
    study: &mut Study,
    sectors: &SectorLibrary,
    unusable: &BTreeSet<String>,
    findings: &mut Vec<DataError>,
) {
    let mut reader = ActivityReader::new(study, sectors, unusable);
    reader.read(t, findings);
    reader.finish(study);
}

/// Reads activity rows into facility-years: one table (the sheet) or many
/// (a CSV file read in chunks, each a table of its own lines), with the
/// same checks and the same findings either way.
pub(super) struct ActivityReader<'s> {
    facilities: BTreeMap<String, Facility>,
    /// listed with a finding of their own (see `FacilitiesRead::unusable`)
    unusable: &'s BTreeSet<String>,
    fuels: Vec<&'s str>,
    examples: Vec<String>,
    sectors: &'s SectorLibrary,
    /// the facility-years in the order their first row came
    list: Vec<FacilityYear>,
    /// where each facility's years are in `list`: looked up by the row's
    /// `&str` id, with no key built per row, and no facility-year moved
    /// from a map into the study's list at the end (which held both, some
    /// 50 MB at a hundred thousand facility-years)
    years: BTreeMap<String, BTreeMap<i32, usize>>,
    /// the facility-year of the last row read: the next row most often
    /// belongs to it too. When it belongs to another, this one is most
    /// likely complete and its rows are shrunk to fit (a vector grown by
    /// doubling holds up to twice its rows, which for a million
    /// facility-years is gigabytes)
    last: Option<usize>,
    /// each item's text once, shared by its rows (see [`Activity::item`])
    items: HashSet<Arc<str>>,
}

impl<'s> ActivityReader<'s> {
    pub(super) fn new(
        study: &Study,
        sectors: &'s SectorLibrary,
        unusable: &'s BTreeSet<String>,
    ) -> Self {
        let fuels = sectors.fuel_ids();
        let examples = item_examples(&fuels);
        ActivityReader {
            facilities: study
                .facilities
                .iter()
                .map(|f| (f.id.clone(), f.clone()))
                .collect(),
            unusable,
            fuels,
            examples,
            sectors,
            list: Vec::new(),
            items: HashSet::new(),
            years: BTreeMap::new(),
            last: None,
        }
    }

    /// Reads one table's rows. Each step reports its finding and gives
    /// None; the row is then skipped, so a row gets at most one finding,
    /// the first in this order.
    pub(super) fn read(&mut self, t: &Table<'_>, findings: &mut Vec<DataError>) {
        let vocabulary = Vocabulary {
            sectors: self.sectors,
            fuels: &self.fuels,
            examples: &self.examples,
        };
        for r in t.rows() {
            if t.is_blank(r) {
                continue;
            }
            let Some((fid, facility)) =
                row_facility(t, r, &self.facilities, self.unusable, findings)
            else {
                continue;
            };
            let Some(year) = row_year(t, r, findings) else {
                continue;
            };
            let Some((item_text, spec, at_i)) = row_item(t, r, facility, &vocabulary, findings)
            else {
                continue;
            };
            // A repeat is looked for among the facility-year's own rows (a
            // handful), not in an index of every row read: a CSV of ten
            // million rows would hold that index in memory.
            let found = self.find(&fid, year);
            if let Some(first) = found.and_then(|i| {
                self.list[i]
                    .activity
                    .iter()
                    .find(|a| *a.item == *item_text)
                    .map(|a| a.location.with_column(&at_i))
            }) {
                findings.push(DataError::new(
                    at_i,
                    tr!(
                        "'{item_text}' for {fid} in {year} is repeated (first at {first}); rows are not summed",
                        "{fid} 在 {year} 年的“{item_text}”重复出现（首次出现在 {first}）；重复的行不会相加"
                    ),
                ));
                continue;
            }
            let Some((value, unit, at_v)) = row_quantity(t, r, spec.kind, findings) else {
                continue;
            };
            let Ok((uncertainty, tier)) = row_uncertainty(t, r, value, findings) else {
                continue;
            };
            if unit.symbol() == "%" && (value > Decimal::ONE_HUNDRED || value < Decimal::ZERO) {
                findings.push(DataError::new(
                    at_v,
                    tr!(
                        "a percentage must lie between 0 and 100, got {value} %",
                        "百分比必须在 0 至 100 之间，实际为 {value} %"
                    ),
                ));
                continue;
            }
            let i = found.unwrap_or_else(|| {
                let i = self.list.len();
                self.list.push(FacilityYear {
                    facility_id: fid.clone(),
                    name: facility.name.clone(),
                    sector: facility.sector.clone(),
                    technology: facility.technology.clone(),
                    city: facility.city.clone(),
                    county: facility.county.clone(),
                    year,
                    activity: Vec::new(),
                });
                self.years.entry(fid).or_default().insert(year, i);
                i
            });
            if self.last != Some(i) {
                if let Some(last) = self.last.replace(i) {
                    self.list[last].activity.shrink_to_fit();
                }
            }
            let item = match self.items.get(item_text.as_str()) {
                Some(shared) => shared.clone(),
                None => {
                    let shared: Arc<str> = item_text.into();
                    self.items.insert(shared.clone());
                    shared
                }
            };
            self.list[i].activity.push(Activity {
                item,
                quantity: Quantity::new(value, unit),
                location: at_v,
                uncertainty,
                tier,
            });
        }
    }

    /// The facility-year of `fid` in `year` read so far: the last row's, most
    /// often, without a lookup.
    fn find(&self, fid: &str, year: i32) -> Option<usize> {
        if let Some(last) = self.last {
            let fy = &self.list[last];
            if fy.year == year && fy.facility_id == fid {
                return Some(last);
            }
        }
        self.years.get(fid)?.get(&year).copied()
    }

    /// Hands the facility-years to the study, in (facility, year) order.
    pub(super) fn finish(self, study: &mut Study) {
        let mut list = self.list;
        // the order of the map this replaced: by id, then year (each pair once)
        list.sort_unstable_by(|a, b| {
            (a.facility_id.as_str(), a.year).cmp(&(b.facility_id.as_str(), b.year))
        });
        list.shrink_to_fit();
        study.facility_years = list;
    }
}

/// What an item is checked against: the sectors (names and processes), the
/// fuel ids, and the example items offered as hints.
struct Vocabulary<'v> {
    sectors: &'v SectorLibrary,
    fuels: &'v [&'v str],
    examples: &'v [String],
}

/// The row's facility id and its facility from the facilities sheet.
fn row_facility<'f>(
    t: &Table<'_>,
    r: usize,
    facilities: &'f BTreeMap<String, Facility>,
    unusable: &BTreeSet<String>,
    findings: &mut Vec<DataError>,
) -> Option<(String, &'f Facility)> {
    let at_f = t.col_at(r, "facility_id");
    let Some(fid) = t.text(r, "facility_id") else {
        findings.push(DataError::new(
            at_f,
            tr!("the facility id is empty", "设施编号为空"),
        ));
        return None;
    };
    let Some(facility) = facilities.get(&fid) else {
        // Listed, but its own row has a finding (an unknown sector): one
        // finding is enough, and "not listed" would be false.
        if unusable.contains(&fid) {
            return None;
        }
        findings.push(
            DataError::new(
                at_f,
                tr!(
                    "facility '{fid}' is not listed in the facilities sheet",
                    "设施“{fid}”未列在 facilities 工作表中"
                ),
            )
            .with_hint(did_you_mean(&fid, facilities.keys().map(String::as_str))),
        );
        return None;
    };
    Some((fid, facility))
}

/// The row's year: a whole year from 1990 to 2100.
fn row_year(t: &Table<'_>, r: usize, findings: &mut Vec<DataError>) -> Option<i32> {
    let at_y = t.col_at(r, "year");
    match number(&without_year_suffix(t.get(r, "year")), &at_y) {
        Ok(Some((y, false)))
            if y.fract().is_zero() && y.to_i32().is_some_and(|y| (1990..=2100).contains(&y)) =>
        {
            Some(y.to_i32().unwrap_or_default())
        }
        Ok(Some(_)) => {
            findings.push(DataError::new(
                at_y,
                tr!(
                    "the year must be a whole year between 1990 and 2100",
                    "年份必须是 1990 至 2100 之间的整数年份"
                ),
            ));
            None
        }
        Ok(None) => {
            findings.push(DataError::new(at_y, tr!("the year is empty", "年份为空")));
            None
        }
        Err(e) => {
            findings.push(e);
            None
        }
    }
}

/// The row's item as its code (with any `@process`), what kind of item it
/// is, and its cell; the process must belong to the facility's sector.
fn row_item(
    t: &Table<'_>,
    r: usize,
    facility: &Facility,
    vocabulary: &Vocabulary<'_>,
    findings: &mut Vec<DataError>,
) -> Option<(String, ItemSpec, Location)> {
    let Vocabulary {
        sectors,
        fuels,
        examples,
    } = vocabulary;
    let at_i = t.col_at(r, "item");
    let Some(item_text) = t.text(r, "item") else {
        findings.push(DataError::new(at_i, tr!("the item is empty", "项目为空")));
        return None;
    };
    // An item written as a name (外购电力, purchased electricity, 原煤)
    // is read as its code; the code is what every output shows.
    let item_text = {
        let (item, node) = split_node(&item_text);
        match item_spec(item, fuels) {
            Some(_) => item_text.clone(),
            None => match sectors.item_by_name(item) {
                Some(code) => match node {
                    Some(n) => format!("{code}@{n}"),
                    None => code,
                },
                None => item_text.clone(),
            },
        }
    };
    let (item, node) = split_node(&item_text);
    let Some(spec) = item_spec(item, fuels) else {
        findings.push(
            DataError::new(at_i, tr!("unknown item '{item}'", "未知项目“{item}”"))
                .with_hint(did_you_mean(item, examples.iter().map(String::as_str))),
        );
        return None;
    };
    if let Some(n) = node {
        if let Ok(sec) = sectors.get(&facility.sector) {
            if sec.node(n).is_none() {
                let sector = &sec.id;
                findings.push(
                    DataError::new(
                        at_i,
                        tr!(
                            "unknown process '{n}' for sector {sector}",
                            "行业 {sector} 中没有工序“{n}”"
                        ),
                    )
                    .with_hint(did_you_mean(n, sec.nodes.iter().map(|x| x.id.as_str()))),
                );
                return None;
            }
        }
    }
    Some((item_text, spec, at_i))
}

/// The row's value, unit and value cell: a percent-formatted cell is a fraction, a rate
/// per year given for an amount is one year's amount, and a value ≤ 1 in a
/// `%` row of a file whose formats cannot be read is a question.
fn row_quantity(
    t: &Table<'_>,
    r: usize,
    kind: ItemKind,
    findings: &mut Vec<DataError>,
) -> Option<(Decimal, Unit, Location)> {
    let at_v = t.col_at(r, "value");
    let numeric_cell = matches!(t.get(r, "value"), Data::Float(_) | Data::Int(_));
    let (value, pct) = match t.number(r, "value") {
        Ok(Some(v)) => v,
        Ok(None) => {
            findings.push(DataError::new(at_v, tr!("the value is empty", "数值为空")));
            return None;
        }
        Err(e) => {
            findings.push(e);
            return None;
        }
    };
    let at_u = t.col_at(r, "unit");
    let unit_text = t.text(r, "unit");
    let dimensionless = |u: &str| Unit::parse(u).is_ok_and(|u| u.dims().is_none());
    let unit_text = match (unit_text, pct) {
        (None, true) => "%".to_string(),
        (Some(u), true) if u.trim() == "%" || u.trim() == "％" => "%".into(),
        // a percent-formatted cell is a fraction whatever the unit says
        (Some(u), true) if numeric_cell && dimensionless(&u) => "%".into(),
        (Some(u), true) => {
            findings.push(DataError::new(
                at_v,
                tr!(
                    "the value is written as a percentage but its unit is '{u}'",
                    "数值以百分比形式填写，但其单位为“{u}”"
                ),
            ));
            return None;
        }
        (Some(u), false) => u,
        (None, false) => {
            findings.push(DataError::new(at_u, tr!("the unit is empty", "单位为空")));
            return None;
        }
    };
    let unit = match Unit::parse(&unit_text) {
        // a rate per year given for an amount is one year's amount
        Ok(u) if u.is_per_year() && kind == ItemKind::Amount => u.annual().unwrap_or(u),
        Ok(u) => u,
        Err(e) => {
            findings.push(DataError::new(
                at_u,
                Text::new(e.to_string(), e.text(Lang::Zh)),
            ));
            return None;
        }
    };
    if !t.formats_known()
        && numeric_cell
        && !pct
        && unit.symbol().trim() == "%"
        && value > Decimal::ZERO
        && value <= Decimal::ONE
    {
        let as_percent = (value * Decimal::ONE_HUNDRED).normalize();
        let v = value.normalize();
        findings.push(DataError::new(
            at_v,
            tr!(
                "{v} in a '%' row reads as {v} % or, if the cell was typed as '{as_percent}%' (a percent-formatted cell), as {as_percent} %; this file's number formats cannot be read: type the value as text ('{as_percent}%' or '{v} %'), or give the unit 'fraction'",
                "单位为“%”的行中的 {v} 可读作 {v} %；若该单元格是以“{as_percent}%”输入的（百分比格式单元格），则应读作 {as_percent} %；本文件的数字格式无法读取：请以文本形式填写数值（“{as_percent}%”或“{v} %”），或将单位写为“fraction”"
            ),
        ));
        return None;
    }
    Some((value, unit, at_v))
}

/// A row's spread: a distribution, or the tier its value was obtained by.
type RowSpread = (
    Option<Box<crate::factors::Uncertainty>>,
    Option<crate::factors::ActivityTier>,
);

/// The row's uncertainty, if given: a distribution (`pct95:5`, `±5%` …) or
/// a tier word (`estimated`, `估算`, `metered`, `计量`, `measured`, `实测`)
/// whose spread the library holds (Err after a finding when it cannot be
/// read).
fn row_uncertainty(
    t: &Table<'_>,
    r: usize,
    value: Decimal,
    findings: &mut Vec<DataError>,
) -> Result<RowSpread, ()> {
    let Some(text) = t.text(r, "uncertainty") else {
        return Ok((None, None));
    };
    if let Some(tier) = crate::factors::ActivityTier::parse(&text) {
        return Ok((None, Some(tier)));
    }
    match crate::factors::Uncertainty::parse(&text, value) {
        Ok(u) => Ok((Some(Box::new(u)), None)),
        Err(m) => {
            findings.push(DataError::new(
                t.col_at(r, "uncertainty"),
                Text::new(
                    format!(
                        "uncertainty '{text}': {}; or name how the value was obtained: measured (实测), metered (计量) or estimated (估算)",
                        m.en
                    ),
                    format!(
                        "不确定性“{text}”：{}；也可填写数据的获取方式：实测（measured）、计量（metered）或估算（estimated）",
                        m.get(Lang::Zh)
                    ),
                ),
            ));
            Err(())
        }
    }
}
