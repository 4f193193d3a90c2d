//! The built-in Sichuan study (`sectors/study/sichuan.toml`): the same study
//! structure a workbook gives, read from a reviewed data file so that
//! `coreduce roadmap` runs with no workbook. Every number in the file carries
//! its source tag or assumption in a `note`.

use super::{Facility, ScenarioRow, Study, TargetRow};
use crate::error::Error;
use crate::error::{DataError, Location};
use crate::factors::FactorLibrary;
use crate::graph::SectorLibrary;
use crate::study::{Activity, Coverage, FacilityYear, GwpSet, SectorCoverage, Settings};
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
    #[serde(default)]
    coverage: Option<Cov>,
}

/// `[coverage]`: the region the study's total stands for and each sector's
/// share, every statement with its source.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cov {
    region: String,
    note: String,
    #[serde(default)]
    note_zh: String,
    #[serde(default)]
    sector: Vec<CovSector>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CovSector {
    sector: Spanned<String>,
    #[serde(default)]
    share: Option<String>,
    confidence: String,
    note: String,
    note_zh: String,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Head {
    name: String,
    /// the title in Chinese, for a Chinese report: read by [`title`],
    /// accepted here so that a misspelt key is still an error
    #[serde(default, rename = "name_zh")]
    _name_zh: String,
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
    /// the note in Chinese, where given
    #[serde(default)]
    note_zh: String,
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

/// The title of a built-in study in `lang`: its `name_zh` in Chinese (the
/// study's `name` is what every file records), or None where there is none.
pub fn title(name: &str, lang: Lang) -> Option<String> {
    #[derive(Deserialize)]
    struct Titles {
        study: TitleHead,
    }
    #[derive(Deserialize)]
    struct TitleHead {
        name: String,
        #[serde(default)]
        name_zh: String,
    }
    let text = EMBEDDED_STUDIES
        .get_file(format!("{name}.toml"))?
        .contents_utf8()?;
    let titles: Titles = toml::from_str(text).ok()?;
    let title = match lang {
        Lang::Zh => titles.study.name_zh,
        Lang::En => titles.study.name,
    };
    (!title.is_empty()).then_some(title)
}

/// Reads a study from TOML text.
pub fn from_text(
    path: &str,
    text: &str,
    _factors: &FactorLibrary,
    sectors: &SectorLibrary,
) -> crate::Result<Study> {
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
    let mut settings = Settings::default();
    if let Some(g) = GwpSet::parse(&file.study.gwp) {
        settings.gwp = g;
    }
    let mut read = Reader {
        path,
        text,
        findings: Vec::new(),
    };
    let facilities = read.facilities(&file.facility, sectors);
    let facility_years = read.facility_years(&file.activity, &facilities, file.study.base_year);
    let scenario_rows = read.scenario_rows(&file.scenario);
    let target_rows = read.target_rows(&file.target);
    let coverage = file.coverage.map(|c| read.coverage(c, sectors));
    if !read.findings.is_empty() {
        return Err(invalid(read.findings));
    }
    Ok(Study {
        path: path.to_string(),
        name: file.study.name,
        base_year: Some(file.study.base_year),
        language: "zh".into(),
        settings,
        facilities,
        facility_years,
        overrides: Vec::new(),
        other_sheets: Vec::new(),
        measure_rows: Vec::new(),
        metric: Default::default(),
        scenario_rows,
        target_rows,
        notices: Vec::new(),
        activity_file: None,
        coverage,
    })
}

/// Reads the tables of a study file, gathering every finding (at its line)
/// so that one run names them all; a row with a finding is left out.
struct Reader<'a> {
    path: &'a str,
    text: &'a str,
    findings: Vec<DataError>,
}

impl Reader<'_> {
    fn at(&self, s: std::ops::Range<usize>) -> Location {
        Location::line(self.path, crate::error::line_of(self.text, s.start))
    }

    /// A row's value, or none with its finding kept.
    fn keep<T>(&mut self, row: std::result::Result<T, DataError>) -> Option<T> {
        row.map_err(|e| self.findings.push(e)).ok()
    }

    /// The facilities, their sector, technology and city resolved.
    fn facilities(&mut self, defs: &[Fac], sectors: &SectorLibrary) -> Vec<Facility> {
        let mut facilities = Vec::new();
        for f in defs {
            let here = self.at(f.id.span());
            let facility = facility(f, sectors, here);
            facilities.extend(self.keep(facility));
        }
        facilities
    }

    /// The base year's activity of each facility, every number with its note.
    fn facility_years(
        &mut self,
        defs: &[Act],
        facilities: &[Facility],
        base_year: i32,
    ) -> Vec<FacilityYear> {
        let mut years: BTreeMap<String, FacilityYear> = BTreeMap::new();
        for a in defs {
            let Some(fac) = facilities.iter().find(|f| &f.id == a.facility.get_ref()) else {
                let facility = a.facility.get_ref();
                let e = DataError::new(
                    self.at(a.facility.span()),
                    tr!("unknown facility '{facility}'", "未知设施“{facility}”"),
                );
                self.findings.push(e);
                continue;
            };
            let Some(activity) = self.activity(a) else {
                continue;
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
                    year: base_year,
                    activity: Vec::new(),
                })
                .activity
                .push(activity);
        }
        years.into_values().collect()
    }

    /// One activity row: its note, its number and its unit.
    fn activity(&mut self, a: &Act) -> Option<Activity> {
        let here = self.at(a.value.span());
        if a.note.trim().is_empty() {
            self.findings.push(DataError::new(
                here.clone(),
                tr!(
                    "every number of the built-in study needs a note with its source or assumption",
                    "内置研究的每个数值都须附注释，说明其来源或假设"
                ),
            ));
        }
        let Some(v) = parse_decimal(a.value.get_ref()) else {
            let value = a.value.get_ref();
            self.findings.push(DataError::new(
                here,
                tr!("'{value}' is not a number", "“{value}”不是数字"),
            ));
            return None;
        };
        let q = match Quantity::parse(v, &a.unit) {
            Ok(q) => q,
            Err(e) => {
                self.findings.push(DataError::new(
                    here,
                    Text::new(e.to_string(), e.text(Lang::Zh)),
                ));
                return None;
            }
        };
        Some(Activity {
            item: a.item.as_str().into(),
            quantity: q,
            location: here,
            uncertainty: None,
            tier: None,
        })
    }

    /// The scenario rows, each with its note; a value in `%` becomes a
    /// fraction.
    fn scenario_rows(&mut self, defs: &[Scen]) -> Vec<ScenarioRow> {
        let mut scenario_rows = Vec::new();
        for s in defs {
            let here = self.at(s.scenario.span());
            if s.note.trim().is_empty() {
                self.findings.push(DataError::new(
                    here.clone(),
                    tr!(
                        "every scenario row needs a note with its source or assumption",
                        "每一情景行都须附注释，说明其来源或假设"
                    ),
                ));
            }
            let value_and_unit = scenario_value(s, &here);
            let Some((value, unit)) = self.keep(value_and_unit) else {
                continue;
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
                note_zh: s.note_zh.clone(),
                location: here.clone(),
                value_location: here,
            });
        }
        scenario_rows
    }

    /// The coverage: each sector known to the library, its share a number
    /// and its statement sourced.
    fn coverage(&mut self, c: Cov, sectors: &SectorLibrary) -> Coverage {
        let mut out = Coverage {
            region: c.region,
            note: c.note,
            note_zh: c.note_zh,
            sectors: Vec::new(),
        };
        for s in c.sector {
            let here = self.at(s.sector.span());
            if let Err(m) = sectors.get(s.sector.get_ref()) {
                self.findings.push(DataError::new(here, m));
                continue;
            }
            if s.source.trim().is_empty() {
                self.findings.push(DataError::new(
                    here.clone(),
                    tr!(
                        "every coverage statement needs its source",
                        "每条覆盖范围说明都须注明来源"
                    ),
                ));
            }
            let share = match s.share.as_deref().map(|v| (v, parse_decimal(v))) {
                None => None,
                Some((_, Some(x))) => Some(x),
                Some((v, None)) => {
                    self.findings.push(DataError::new(
                        here,
                        tr!("'{v}' is not a number", "“{v}”不是数字"),
                    ));
                    continue;
                }
            };
            out.sectors.push(SectorCoverage {
                sector: s.sector.into_inner(),
                share_percent: share,
                confidence: s.confidence,
                note: s.note,
                note_zh: s.note_zh,
                source: s.source,
            });
        }
        out
    }

    fn target_rows(&mut self, defs: &[Targ]) -> Vec<TargetRow> {
        let mut target_rows = Vec::new();
        for t in defs {
            let here = self.at(t.id.span());
            let Some(cap) = parse_decimal(&t.cap) else {
                let cap = &t.cap;
                self.findings.push(DataError::new(
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
        target_rows
    }
}

/// A facility with its sector, technology and city as the sector library
/// knows them.
fn facility(
    f: &Fac,
    sectors: &SectorLibrary,
    here: Location,
) -> std::result::Result<Facility, DataError> {
    let sector = sectors
        .get(&f.sector)
        .map_err(|m| DataError::new(here.clone(), m))?;
    let technology = match sector.technology(&f.technology) {
        Ok(t) => t.id.clone(),
        Err(m) => return Err(DataError::new(here, m)),
    };
    let city = match sectors.city(&f.city) {
        Ok(c) => c.id.clone(),
        Err(m) => return Err(DataError::new(here, m)),
    };
    Ok(Facility {
        id: f.id.get_ref().clone(),
        name: f.name.clone(),
        sector: sector.id.clone(),
        technology: Some(technology),
        city: Some(city),
        county: None,
        capacity: None,
        location: here,
    })
}

/// A scenario row's value and unit: a percentage is stored as a fraction
/// (and then has no unit).
fn scenario_value(
    s: &Scen,
    here: &Location,
) -> std::result::Result<(Option<Decimal>, Option<String>), DataError> {
    Ok(match &s.value {
        Some(v) => match parse_decimal(v) {
            Some(x) if s.unit.as_deref() == Some("%") => (Some(x / Decimal::ONE_HUNDRED), None),
            Some(x) => (Some(x), s.unit.clone()),
            None => {
                return Err(DataError::new(
                    here.clone(),
                    tr!("'{v}' is not a number", "“{v}”不是数字"),
                ))
            }
        },
        None => (None, s.unit.clone()),
    })
}

/// The scenario templates of a built-in study (`bau` with its grid
/// sensitivities `bau_dry_year` and `bau_flat_grid`, `policy`, `enhanced`
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
