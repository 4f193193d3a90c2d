//! The built-in Sichuan study (`sectors/study/sichuan.toml`): the same study
//! structure a workbook gives, read from a reviewed data file so that
//! `coreduce roadmap` runs with no workbook. Every number in the file carries
//! its source tag or assumption in a `note`.

use super::{Facility, ScenarioRow, Study, TargetRow};
use crate::error::Error;
use crate::error::{DataError, Location};
use crate::factors::FactorLibrary;
use crate::graph::SectorLibrary;
use crate::study::{Activity, FacilityYear, GwpSet, Settings};
use crate::text::{Lang, Text};
use crate::tr;
use crate::units::{parse_decimal, Quantity};
use include_dir::{include_dir, Dir};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// `sectors/study/`, embedded at build time.
pub static EMBEDDED_STUDIES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/sectors/study");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    study: Head,
    facility: Vec<Fac>,
    activity: Vec<Act>,
    #[serde(default)]
    scenario: Vec<Scen>,
    #[serde(default)]
    target: Vec<Targ>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Head {
    name: String,
    base_year: i32,
    gwp: String,
    #[serde(default)]
    #[allow(dead_code)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fac {
    id: Spanned<String>,
    name: String,
    sector: String,
    technology: String,
    city: String,
    #[serde(default)]
    #[allow(dead_code)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Act {
    facility: Spanned<String>,
    item: String,
    value: Spanned<String>,
    unit: String,
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Scen {
    scenario: Spanned<String>,
    #[serde(default)]
    kind: String,
    field: String,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    target: Option<String>,
    #[serde(default)]
    year: Option<i32>,
    #[serde(default)]
    value: Option<String>,
    #[serde(default)]
    unit: Option<String>,
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Targ {
    id: Spanned<String>,
    year: i32,
    substance: String,
    scope: String,
    cap: String,
    unit: String,
    note: String,
}

/// Loads a built-in study by name (`sichuan`).
pub fn load(name: &str, factors: &FactorLibrary, sectors: &SectorLibrary) -> crate::Result<Study> {
    let file_name = format!("{name}.toml");
    let path = format!("sectors/study/{file_name}");
    let text = EMBEDDED_STUDIES
        .get_file(&file_name)
        .and_then(|f| f.contents_utf8())
        .ok_or_else(|| {
            Error::Data(DataError::new(
                Location::file(path.clone()),
                tr!("no such built-in study", "没有此内置研究"),
            ))
        })?;
    from_text(&path, text, factors, sectors)
}

/// Reads a study from TOML text.
pub fn from_text(
    path: &str,
    text: &str,
    _factors: &FactorLibrary,
    sectors: &SectorLibrary,
) -> crate::Result<Study> {
    let at = |s: std::ops::Range<usize>| Location::line(path, crate::error::line_of(text, s.start));
    let invalid = Error::from_findings;
    let file: File = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| crate::error::line_of(text, s.start))
            .unwrap_or(1);
        invalid(vec![DataError::new(
            Location::line(path, line),
            e.message().trim().to_string(),
        )])
    })?;
    let mut findings = Vec::new();
    let mut settings = Settings::default();
    if let Some(g) = GwpSet::parse(&file.study.gwp) {
        settings.gwp = g;
    }
    let mut facilities = Vec::new();
    for f in &file.facility {
        let here = at(f.id.span());
        let sector = match sectors.get(&f.sector) {
            Ok(s) => s,
            Err(m) => {
                findings.push(DataError::new(here, m));
                continue;
            }
        };
        let technology = match sector.technology(&f.technology) {
            Ok(t) => t.id.clone(),
            Err(m) => {
                findings.push(DataError::new(here, m));
                continue;
            }
        };
        let city = match sectors.city(&f.city) {
            Ok(c) => c.id.clone(),
            Err(m) => {
                findings.push(DataError::new(here, m));
                continue;
            }
        };
        facilities.push(Facility {
            id: f.id.get_ref().clone(),
            name: f.name.clone(),
            sector: sector.id.clone(),
            technology: Some(technology),
            city: Some(city),
            county: None,
            capacity: None,
            location: here,
        });
    }
    let mut years: BTreeMap<String, FacilityYear> = BTreeMap::new();
    for a in &file.activity {
        let here = at(a.value.span());
        let Some(fac) = facilities.iter().find(|f| &f.id == a.facility.get_ref()) else {
            let facility = a.facility.get_ref();
            findings.push(DataError::new(
                at(a.facility.span()),
                tr!("unknown facility '{facility}'", "未知设施“{facility}”"),
            ));
            continue;
        };
        if a.note.trim().is_empty() {
            findings.push(DataError::new(
                here.clone(),
                tr!(
                    "every number of the built-in study needs a note with its source or assumption",
                    "内置研究的每个数值都须附注释，说明其来源或假设"
                ),
            ));
        }
        let Some(v) = parse_decimal(a.value.get_ref()) else {
            let value = a.value.get_ref();
            findings.push(DataError::new(
                here,
                tr!("'{value}' is not a number", "“{value}”不是数字"),
            ));
            continue;
        };
        let q = match Quantity::parse(v, &a.unit) {
            Ok(q) => q,
            Err(e) => {
                findings.push(DataError::new(
                    here,
                    Text::new(e.to_string(), e.text(Lang::Zh)),
                ));
                continue;
            }
        };
        years
            .entry(fac.id.clone())
            .or_insert_with(|| FacilityYear {
                facility_id: fac.id.clone(),
                name: fac.name.clone(),
                sector: fac.sector.clone(),
                technology: fac.technology.clone(),
                city: fac.city.clone(),
                county: None,
                year: file.study.base_year,
                activity: Vec::new(),
            })
            .activity
            .push(Activity {
                item: a.item.clone(),
                quantity: q,
                location: here,
                uncertainty: None,
            });
    }
    let mut scenario_rows = Vec::new();
    for s in &file.scenario {
        let here = at(s.scenario.span());
        if s.note.trim().is_empty() {
            findings.push(DataError::new(
                here.clone(),
                tr!(
                    "every scenario row needs a note with its source or assumption",
                    "每一情景行都须附注释，说明其来源或假设"
                ),
            ));
        }
        let (value, unit) = match &s.value {
            Some(v) => match parse_decimal(v) {
                Some(x) if s.unit.as_deref() == Some("%") => (Some(x / Decimal::ONE_HUNDRED), None),
                Some(x) => (Some(x), s.unit.clone()),
                None => {
                    findings.push(DataError::new(
                        here.clone(),
                        tr!("'{v}' is not a number", "“{v}”不是数字"),
                    ));
                    continue;
                }
            },
            None => (None, s.unit.clone()),
        };
        scenario_rows.push(ScenarioRow {
            scenario: s.scenario.get_ref().clone(),
            kind: s.kind.to_lowercase(),
            field: s.field.to_lowercase(),
            scope: s.scope.clone(),
            target: s.target.clone(),
            year: s.year,
            value,
            unit,
            note: s.note.clone(),
            location: here.clone(),
            value_location: here,
        });
    }
    let mut target_rows = Vec::new();
    for t in &file.target {
        let here = at(t.id.span());
        let Some(cap) = parse_decimal(&t.cap) else {
            let cap = &t.cap;
            findings.push(DataError::new(
                here,
                tr!("'{cap}' is not a number", "“{cap}”不是数字"),
            ));
            continue;
        };
        target_rows.push(TargetRow {
            id: t.id.get_ref().clone(),
            year: t.year,
            substance: t.substance.clone(),
            scope: t.scope.clone(),
            cap,
            unit: t.unit.clone(),
            note: t.note.clone(),
            substance_location: here.clone(),
            scope_location: here.clone(),
            location: here,
        });
    }
    if !findings.is_empty() {
        return Err(invalid(findings));
    }
    Ok(Study {
        path: path.to_string(),
        name: file.study.name,
        base_year: Some(file.study.base_year),
        language: "zh".into(),
        settings,
        facilities,
        facility_years: years.into_values().collect(),
        overrides: Vec::new(),
        other_sheets: Vec::new(),
        measure_rows: Vec::new(),
        metric: Default::default(),
        scenario_rows,
        target_rows,
        notices: Vec::new(),
    })
}

/// The scenario templates of a built-in study (`bau`, `policy`, `enhanced`
/// and the rows of every scenario; not `least_cost`, which needs targets),
/// for a study that brings facilities but no scenarios of its own. Their
/// scopes are `all` or a sector, so they apply to any facilities; each row
/// keeps its note (the assumption it states) and its place in the TOML.
pub fn scenario_templates(
    name: &str,
    factors: &FactorLibrary,
    sectors: &SectorLibrary,
) -> crate::Result<Vec<ScenarioRow>> {
    let study = load(name, factors, sectors)?;
    // A scenario's kind is given on one of its rows.
    let least_cost: std::collections::BTreeSet<String> = study
        .scenario_rows
        .iter()
        .filter(|r| r.kind == "least_cost")
        .map(|r| r.scenario.clone())
        .collect();
    Ok(study
        .scenario_rows
        .into_iter()
        .filter(|r| !least_cost.contains(&r.scenario))
        .collect())
}
