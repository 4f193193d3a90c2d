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
    "activity_file",
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
            findings.push(DataError::new(
                t.col_at(r, "key"),
                tr!("the key is empty", "参数名（key）为空"),
            ));
            continue;
        };
        let key = key.to_lowercase();
        let at = t.col_at(r, "value");
        if let Some(first) = seen.insert(key.clone(), t.col_at(r, "key")) {
            findings.push(DataError::new(
                t.col_at(r, "key"),
                tr!(
                    "setting '{key}' is repeated (first at {first})",
                    "设置项“{key}”重复（首次出现于 {first}）"
                ),
            ));
            continue;
        }
        let value = t.text(r, "value").unwrap_or_default();
        let row = SettingRow {
            t,
            r,
            key: &key,
            value,
            at,
        };
        match key.as_str() {
            "study" => study.name = row.value,
            "base_year" => match row
                .value
                .trim()
                .trim_end_matches("年度")
                .trim_end_matches('年')
                .trim()
                .parse::<i32>()
            {
                Ok(y) if (1990..=2100).contains(&y) => study.base_year = Some(y),
                _ => {
                    let value = &row.value;
                    findings.push(DataError::new(
                        row.at,
                        tr!(
                            "base_year '{value}' is not a year",
                            "base_year“{value}”不是有效年份"
                        ),
                    ))
                }
            },
            "gwp" => match GwpSet::parse(&row.value) {
                Some(g) => study.settings.gwp = g,
                None => {
                    let value = &row.value;
                    findings.push(DataError::new(
                        row.at,
                        tr!(
                            "gwp '{value}' is not one of SAR, AR4, AR5, AR6",
                            "gwp“{value}”不是 SAR、AR4、AR5、AR6 之一"
                        ),
                    ))
                }
            },
            "view" => set_view(row, study, findings),
            "scope2" => set_scope2(row, study, findings),
            "language" => set_language(row, study, findings),
            "grid_factor" | "heat_factor" | "residual_grid_factor" => {
                set_energy_factor(row, study, factors, findings)
            }
            k if k.starts_with("edition.") => set_edition(row, study, sectors, findings),
            "discount_rate" | "lambda" | "value_air_eq" | "value_water_eq" => {
                set_metric_number(row, study, findings)
            }
            "coordinate_pollutant" => set_coordinate_pollutant(row, study, findings),
            "index_weights" => set_index_weights(row, study, findings),
            "activity_file" => match row.value.trim() {
                "" => findings.push(DataError::new(
                    row.at,
                    tr!(
                        "activity_file is empty: give the activity CSV's path (beside the workbook), or remove the row",
                        "activity_file 为空：请填写活动数据 CSV 文件的路径（与工作簿同一文件夹），或删除该行"
                    ),
                )),
                file => study.activity_file = Some(file.to_string()),
            },
            other => findings.push(
                DataError::new(
                    t.col_at(r, "key"),
                    tr!("unknown setting '{other}'", "未知设置项“{other}”"),
                )
                .with_hint(did_you_mean(other, SETTING_KEYS.iter().copied())),
            ),
        }
    }
    seen
}

/// One row of the settings sheet being read: its cells, lower-cased key,
/// value text and the value's cell (where a bad value is reported).
struct SettingRow<'s, 'a> {
    t: &'s Table<'a>,
    r: usize,
    key: &'s str,
    value: String,
    at: Location,
}

/// `view`: compliance or footprint, in English or Chinese.
fn set_view(row: SettingRow<'_, '_>, study: &mut Study, findings: &mut Vec<DataError>) {
    let value = row.value;
    match value.to_lowercase().as_str() {
        "compliance" | "合规" | "履约" => study.settings.view = View::Compliance,
        "footprint" | "足迹" | "全口径" => study.settings.view = View::Footprint,
        _ => findings.push(DataError::new(
            row.at,
            tr!(
                "view '{value}' is not 'compliance' or 'footprint'",
                "view“{value}”不是“compliance”或“footprint”"
            ),
        )),
    }
}

/// `scope2`: location- or market-based, spelled loosely.
fn set_scope2(row: SettingRow<'_, '_>, study: &mut Study, findings: &mut Vec<DataError>) {
    let value = row.value;
    match value.trim().to_lowercase().replace(['-', '_', ' '], "").as_str() {
        "location" | "locationbased" | "基于位置" | "位置" => {
            study.settings.scope2 = Scope2Method::Location
        }
        "market" | "marketbased" | "基于市场" | "市场" => {
            study.settings.scope2 = Scope2Method::Market
        }
        _ => findings.push(DataError::new(
            row.at,
            tr!(
                "scope2 '{value}' is not 'location' (grid average, the official methods' rule) or 'market' (green-power contracts at 0, the rest at the residual factor)",
                "scope2“{value}”既不是“location”（按电网平均排放因子，即官方核算方法的规则），也不是“market”（绿电合同电量计为 0，其余电量按剩余电网排放因子计）"
            ),
        )),
    }
}

/// `language`: zh or en (or their names).
fn set_language(row: SettingRow<'_, '_>, study: &mut Study, findings: &mut Vec<DataError>) {
    let value = row.value;
    match value.to_lowercase().as_str() {
        "zh" | "中文" | "en" | "english" => {
            study.language = if value.to_lowercase().starts_with('e') {
                "en".into()
            } else {
                "zh".into()
            }
        }
        _ => findings.push(DataError::new(
            row.at,
            tr!(
                "language '{value}' is not zh or en",
                "language“{value}”不是 zh 或 en"
            ),
        )),
    }
}

/// `grid_factor`, `residual_grid_factor` (a number with a mass-per-energy
/// unit, or a factor id) and `heat_factor` (a factor id).
fn set_energy_factor(
    row: SettingRow<'_, '_>,
    study: &mut Study,
    factors: &FactorLibrary,
    findings: &mut Vec<DataError>,
) {
    let SettingRow {
        t,
        r,
        key,
        value,
        at,
    } = row;
    let unit = t.text(r, "unit");
    match t.number(r, "value") {
        Ok(Some((v, _))) if key != "heat_factor" => {
            let Some(u) = unit else {
                findings.push(DataError::new(
                    t.col_at(r, "unit"),
                    tr!(
                        "a numeric {key} needs its unit (e.g. tCO2/MWh)",
                        "以数值填写的 {key} 须注明单位（如 tCO2/MWh）"
                    ),
                ));
                return;
            };
            match Quantity::parse(v, &u) {
                Ok(_) if v < Decimal::ZERO => findings.push(DataError::new(
                    t.col_at(r, "value"),
                    tr!("{key} {v} cannot be negative", "{key} {v} 不能为负数"),
                )),
                Ok(q)
                    if q.unit
                        .compatible(&Unit::parse("tCO2/MWh").unwrap_or_else(|_| Unit::one())) =>
                {
                    if key == "grid_factor" {
                        study.settings.grid = GridFactor::Value(q)
                    } else {
                        study.settings.residual_grid = GridFactor::Value(q)
                    }
                }
                Ok(q) => {
                    let unit = &q.unit;
                    findings.push(DataError::new(
                        t.col_at(r, "unit"),
                        tr!(
                            "{key} unit '{unit}' is not a mass per energy (e.g. tCO2/MWh)",
                            "{key} 的单位“{unit}”不是单位能量的质量（如 tCO2/MWh）"
                        ),
                    ))
                }
                Err(e) => findings.push(DataError::new(
                    t.col_at(r, "unit"),
                    Text::new(e.to_string(), e.text(Lang::Zh)),
                )),
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
                    DataError::new(at, tr!("unknown factor '{id}'", "未知因子“{id}”"))
                        .with_hint(did_you_mean(&id, factors.ids())),
                );
            }
        }
    }
}

/// `edition.<sector>`: one of the sector's guideline editions.
fn set_edition(
    row: SettingRow<'_, '_>,
    study: &mut Study,
    sectors: &SectorLibrary,
    findings: &mut Vec<DataError>,
) {
    let SettingRow {
        t,
        r,
        key,
        value,
        at,
    } = row;
    let sector = &key["edition.".len()..];
    match sectors.get(sector) {
        Ok(s) if s.editions.contains_key(value.trim()) => {
            study
                .settings
                .editions
                .insert(s.id.clone(), value.trim().to_string());
        }
        Ok(s) => {
            let sid = &s.id;
            let list = s.editions.keys().cloned().collect::<Vec<_>>().join(", ");
            findings.push(
                DataError::new(
                    at,
                    tr!(
                        "'{value}' is not an edition of {sid} ({list})",
                        "“{value}”不是 {sid} 的版本（可选版本：{list}）"
                    ),
                )
                .with_hint(did_you_mean(&value, s.editions.keys().map(String::as_str))),
            )
        }
        Err(m) => findings.push(DataError::new(t.col_at(r, "key"), m)),
    }
}

/// `discount_rate`, `lambda`, `value_air_eq`, `value_water_eq`: a number
/// (a percentage read as a fraction) within the metric's bounds.
fn set_metric_number(row: SettingRow<'_, '_>, study: &mut Study, findings: &mut Vec<DataError>) {
    let SettingRow { t, r, key, at, .. } = row;
    match t.number(r, "value") {
        Ok(Some((v, pct))) => {
            let v = if pct || t.text(r, "unit").as_deref() == Some("%") {
                v / Decimal::ONE_HUNDRED
            } else {
                v
            };
            if let Some(problem) = crate::study::MetricInputs::problem(key, v) {
                findings.push(DataError::new(
                    at,
                    Text::new(
                        format!("{key} {v} {}", problem.en),
                        format!("{key} {v} {}", problem.get(Lang::Zh)),
                    ),
                ));
                return;
            }
            let m = &mut study.metric;
            match key {
                "discount_rate" => m.discount_rate = Some(v),
                "lambda" => m.lambda = Some(v),
                "value_air_eq" => m.value_air_eq = Some(v),
                _ => m.value_water_eq = Some(v),
            }
        }
        Ok(None) => findings.push(DataError::new(at, tr!("{key} is empty", "{key} 为空"))),
        Err(e) => findings.push(e),
    }
}

/// `coordinate_pollutant`: APeq, WPeq or a substance code.
fn set_coordinate_pollutant(
    row: SettingRow<'_, '_>,
    study: &mut Study,
    findings: &mut Vec<DataError>,
) {
    let v = row.value.trim();
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
                    row.at,
                    tr!(
                        "coordinate_pollutant '{v}' is not a substance code or APeq",
                        "coordinate_pollutant“{v}”不是物质代码或 APeq"
                    ),
                )
                .with_hint(did_you_mean(v, crate::substance::Substance::codes())),
            ),
        }
    }
}

/// `index_weights`: three weights for CO2e, air and water equivalents.
fn set_index_weights(row: SettingRow<'_, '_>, study: &mut Study, findings: &mut Vec<DataError>) {
    let value = row.value;
    let parts: Vec<Option<Decimal>> = value.split([',', ';', '/']).map(parse_decimal).collect();
    match parts.as_slice() {
        [Some(a), Some(b), Some(c)] if [a, b, c].iter().all(|w| crate::study::MetricInputs::problem("", **w).is_none()) => {
            study.metric.index_weights = Some([*a, *b, *c])
        }
        _ => findings.push(DataError::new(
            row.at,
            tr!(
                "index_weights '{value}' must be three numbers from 0 to 1,000,000 for CO2e, air and water equivalents, e.g. 0.5,0.3,0.2",
                "index_weights“{value}”须为 3 个 0 至 1,000,000 之间的数，依次对应 CO2e、大气污染当量和水污染当量，如 0.5,0.3,0.2"
            ),
        )),
    }
}

/// One notice per setting left to its documented default.
pub(super) fn default_notices(study: &mut Study, seen: &BTreeMap<String, Location>) {
    for (key, default) in [
        (
            "gwp",
            tr!(
                "AR5 (the set of MEE 2024)",
                "AR5（生态环境部 2024 年指南所用取值）"
            ),
        ),
        (
            "grid_factor",
            tr!(
                "grid.sc.avg (Sichuan's average grid factor of each year)",
                "grid.sc.avg（四川省各年平均电网排放因子）"
            ),
        ),
        (
            "view",
            tr!("footprint (scope 1 + 2)", "footprint（范围一 + 范围二）"),
        ),
    ] {
        if !seen.contains_key(key) {
            study.notices.push(Text::new(
                format!("settings: no '{key}'; the default {} is used", default.en),
                format!(
                    "settings：未填写“{key}”；采用缺省值 {}",
                    default.get(Lang::Zh)
                ),
            ));
        }
    }
    if !seen.contains_key("base_year") {
        if let Some(y) = study.chosen_base_year() {
            let other_years = study.facility_years.iter().any(|f| f.year != y);
            study.notices.push(if other_years {
                tr!(
                    "settings: no 'base_year'; the latest year of the activity sheet, {y}, is the base year of roadmap, measures and uncertainty (the other years are not added to it)",
                    "settings：未填写“base_year”；以活动数据工作表中最近的年份 {y} 作为路线图、措施和不确定性分析的基准年（其他年份不计入）"
                )
            } else {
                tr!(
                    "settings: no 'base_year'; the latest year of the activity sheet, {y}, is the base year of roadmap, measures and uncertainty",
                    "settings：未填写“base_year”；以活动数据工作表中最近的年份 {y} 作为路线图、措施和不确定性分析的基准年"
                )
            });
        }
    }
}
