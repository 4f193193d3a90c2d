//! The `settings` sheet: study name, base year, GWP set, grid factor, view,
//! language, editions and metric settings; a missing key takes its documented
//! default, said once.

use super::*;
use crate::study::Scope2Method;

pub(super) const SETTING_KEYS: &[&str] = &[
    "study",
    "base_year",
    "gwp",
    "grid_factor",
    "residual_grid_factor",
    "scope2",
    "view",
    "language",
    "edition.aluminium",
    "edition.baijiu",
    "edition.ceramics",
    "edition.tobacco",
    "heat_factor",
    "discount_rate",
    "lambda",
    "coordinate_pollutant",
    "value_air_eq",
    "value_water_eq",
    "index_weights",
];

pub(super) fn read_settings(
    t: &Table<'_>,
    study: &mut Study,
    factors: &FactorLibrary,
    sectors: &SectorLibrary,
    findings: &mut Vec<DataError>,
) -> BTreeMap<String, Location> {
    let mut seen: BTreeMap<String, Location> = BTreeMap::new();
    for r in t.rows() {
        if t.is_blank(r) {
            continue;
        }
        let Some(key) = t.text(r, "key") else {
            findings.push(DataError::new(t.col_at(r, "key"), "the key is empty"));
            continue;
        };
        let key = key.to_lowercase();
        let at = t.col_at(r, "value");
        if let Some(first) = seen.insert(key.clone(), t.col_at(r, "key")) {
            findings.push(DataError::new(
                t.col_at(r, "key"),
                format!("setting '{key}' is repeated (first at {first})"),
            ));
            continue;
        }
        let value = t.text(r, "value").unwrap_or_default();
        match key.as_str() {
            "study" => study.name = value,
            "base_year" => match value.parse::<i32>() {
                Ok(y) if (1990..=2100).contains(&y) => study.base_year = Some(y),
                _ => findings.push(DataError::new(
                    at,
                    format!("base_year '{value}' is not a year"),
                )),
            },
            "gwp" => match GwpSet::parse(&value) {
                Some(g) => study.settings.gwp = g,
                None => findings.push(DataError::new(
                    at,
                    format!("gwp '{value}' is not one of SAR, AR4, AR5, AR6"),
                )),
            },
            "view" => match value.to_lowercase().as_str() {
                "compliance" | "合规" | "履约" => study.settings.view = View::Compliance,
                "footprint" | "足迹" | "全口径" => study.settings.view = View::Footprint,
                _ => findings.push(DataError::new(
                    at,
                    format!("view '{value}' is not 'compliance' or 'footprint'"),
                )),
            },
            "scope2" => match value.trim().to_lowercase().replace(['-', '_', ' '], "").as_str() {
                "location" | "locationbased" | "基于位置" | "位置" => {
                    study.settings.scope2 = Scope2Method::Location
                }
                "market" | "marketbased" | "基于市场" | "市场" => {
                    study.settings.scope2 = Scope2Method::Market
                }
                _ => findings.push(DataError::new(
                    at,
                    format!("scope2 '{value}' is not 'location' (grid average, the official methods' rule) or 'market' (green-power contracts at 0, the rest at the residual factor)"),
                )),
            },
            "language" => match value.to_lowercase().as_str() {
                "zh" | "中文" | "en" | "english" => {
                    study.language = if value.to_lowercase().starts_with('e') {
                        "en".into()
                    } else {
                        "zh".into()
                    }
                }
                _ => findings.push(DataError::new(
                    at,
                    format!("language '{value}' is not zh or en"),
                )),
            },
            "grid_factor" | "heat_factor" | "residual_grid_factor" => {
                let unit = t.text(r, "unit");
                match t.number(r, "value") {
                    Ok(Some((v, _))) if key != "heat_factor" => {
                        let Some(u) = unit else {
                            findings.push(DataError::new(
                                t.col_at(r, "unit"),
                                format!("a numeric {key} needs its unit (e.g. tCO2/MWh)"),
                            ));
                            continue;
                        };
                        match Quantity::parse(v, &u) {
                            Ok(_) if v < Decimal::ZERO => findings.push(DataError::new(
                                t.col_at(r, "value"),
                                format!("{key} {v} cannot be negative"),
                            )),
                            Ok(q) if q.unit.compatible(&Unit::parse("tCO2/MWh").unwrap_or_else(|_| Unit::one())) => {
                                if key == "grid_factor" {
                                    study.settings.grid = GridFactor::Value(q)
                                } else {
                                    study.settings.residual_grid = GridFactor::Value(q)
                                }
                            }
                            Ok(q) => findings.push(DataError::new(
                                t.col_at(r, "unit"),
                                format!("{key} unit '{}' is not a mass per energy (e.g. tCO2/MWh)", q.unit),
                            )),
                            Err(e) => findings.push(DataError::new(t.col_at(r, "unit"), e.to_string())),
                        }
                    }
                    _ => {
                        let id = value.trim().to_string();
                        let series = format!("{id}.");
                        if factors.contains(&id) || factors.ids().any(|x| x.starts_with(&series)) {
                            if key == "grid_factor" {
                                study.settings.grid = GridFactor::Factor(id);
                            } else if key == "residual_grid_factor" {
                                study.settings.residual_grid = GridFactor::Factor(id);
                            } else {
                                study.settings.heat_factor = id;
                            }
                        } else {
                            findings.push(
                                DataError::new(at, format!("unknown factor '{id}'"))
                                    .with_hint(did_you_mean(&id, factors.ids())),
                            );
                        }
                    }
                }
            }
            k if k.starts_with("edition.") => {
                let sector = &k["edition.".len()..];
                match sectors.get(sector) {
                    Ok(s) if s.editions.contains_key(value.trim()) => {
                        study
                            .settings
                            .editions
                            .insert(s.id.clone(), value.trim().to_string());
                    }
                    Ok(s) => findings.push(
                        DataError::new(
                            at,
                            format!(
                                "'{value}' is not an edition of {} ({})",
                                s.id,
                                s.editions.keys().cloned().collect::<Vec<_>>().join(", ")
                            ),
                        )
                        .with_hint(did_you_mean(&value, s.editions.keys().map(String::as_str))),
                    ),
                    Err(m) => findings.push(DataError::new(t.col_at(r, "key"), m)),
                }
            }
            "discount_rate" | "lambda" | "value_air_eq" | "value_water_eq" => {
                match t.number(r, "value") {
                    Ok(Some((v, pct))) => {
                        let v = if pct || t.text(r, "unit").as_deref() == Some("%") {
                            v / Decimal::ONE_HUNDRED
                        } else {
                            v
                        };
                        if let Some(problem) = crate::study::MetricInputs::problem(&key, v) {
                            findings.push(DataError::new(at, format!("{key} {v} {problem}")));
                            continue;
                        }
                        let m = &mut study.metric;
                        match key.as_str() {
                            "discount_rate" => m.discount_rate = Some(v),
                            "lambda" => m.lambda = Some(v),
                            "value_air_eq" => m.value_air_eq = Some(v),
                            _ => m.value_water_eq = Some(v),
                        }
                    }
                    Ok(None) => findings.push(DataError::new(at, format!("{key} is empty"))),
                    Err(e) => findings.push(e),
                }
            }
            "coordinate_pollutant" => {
                let v = value.trim();
                if v.eq_ignore_ascii_case("apeq") || v.eq_ignore_ascii_case("wpeq") {
                    study.metric.coordinate_pollutant = Some(if v.eq_ignore_ascii_case("apeq") {
                        "APeq".into()
                    } else {
                        "WPeq".into()
                    });
                } else {
                    match crate::substance::Substance::parse(v) {
                        Some(s) => study.metric.coordinate_pollutant = Some(s.code().into()),
                        None => findings.push(
                            DataError::new(
                                at,
                                format!(
                                    "coordinate_pollutant '{v}' is not a substance code or APeq"
                                ),
                            )
                            .with_hint(did_you_mean(v, crate::substance::Substance::codes())),
                        ),
                    }
                }
            }
            "index_weights" => {
                let parts: Vec<Option<Decimal>> =
                    value.split([',', ';', '/']).map(parse_decimal).collect();
                match parts.as_slice() {
                    [Some(a), Some(b), Some(c)] if [a, b, c].iter().all(|w| crate::study::MetricInputs::problem("", **w).is_none()) => {
                        study.metric.index_weights = Some([*a, *b, *c])
                    }
                    _ => findings.push(DataError::new(
                        at,
                        format!("index_weights '{value}' must be three numbers from 0 to 1,000,000 for CO2e, air and water equivalents, e.g. 0.5,0.3,0.2"),
                    )),
                }
            }
            other => findings.push(
                DataError::new(t.col_at(r, "key"), format!("unknown setting '{other}'"))
                    .with_hint(did_you_mean(other, SETTING_KEYS.iter().copied())),
            ),
        }
    }
    seen
}

/// One notice per setting left to its documented default.
pub(super) fn default_notices(study: &mut Study, seen: &BTreeMap<String, Location>) {
    for (key, default) in [
        ("gwp", "AR5 (the set of MEE 2024)"),
        (
            "grid_factor",
            "grid.sc.avg (Sichuan's average grid factor of each year)",
        ),
        ("view", "footprint (scope 1 + 2)"),
    ] {
        if !seen.contains_key(key) {
            study.notices.push(format!(
                "settings: no '{key}'; the default {default} is used"
            ));
        }
    }
    if !seen.contains_key("base_year") {
        if let Some(y) = study.chosen_base_year() {
            study.notices.push(format!(
                "settings: no 'base_year'; the latest year of the activity sheet, {y}, is the base year of roadmap, measures and uncertainty{}",
                if study.facility_years.iter().any(|f| f.year != y) {
                    " (the other years are not added to it)"
                } else {
                    ""
                }
            ));
        }
    }
}
