//! The optional sheets read as rows for later commands: `factors` (overrides),
//! `measures`, `scenarios` and `targets`.

use super::*;

pub(super) fn read_factors(
    t: &Table<'_>,
    study: &mut Study,
    factors: &FactorLibrary,
    findings: &mut Vec<DataError>,
) {
    let mut seen: BTreeMap<String, Location> = BTreeMap::new();
    for r in t.rows() {
        if t.is_blank(r) {
            continue;
        }
        let Some((id, at_id)) = unique_id(t, r, "factor_id", "factor", &mut seen, findings) else {
            continue;
        };
        let Ok(base) = factors.get(&id) else {
            findings.push(
                DataError::new(at_id, tr!("unknown factor '{id}'", "未知因子“{id}”"))
                    .with_hint(did_you_mean(&id, factors.ids())),
            );
            continue;
        };
        let Some((value, at_v)) = required_number(t, r, "value", findings) else {
            continue;
        };
        let at_u = t.col_at(r, "unit");
        let unit = match t.text(r, "unit").map(|u| Unit::parse(&u)) {
            Some(Ok(u)) => u,
            Some(Err(e)) => {
                findings.push(DataError::new(
                    at_u,
                    Text::new(e.to_string(), e.text(Lang::Zh)),
                ));
                continue;
            }
            None => {
                let lib_unit = &base.unit;
                findings.push(DataError::new(
                    at_u,
                    tr!(
                        "the unit is empty (the library factor is in '{lib_unit}')",
                        "单位为空（因子库中该因子的单位为“{lib_unit}”）"
                    ),
                ));
                continue;
            }
        };
        if !unit.compatible(&base.unit) {
            let dims = unit.dims();
            let lib_unit = &base.unit;
            let lib_dims = base.unit.dims();
            let (dims_zh, lib_dims_zh) = (dims.zh(), lib_dims.zh());
            findings.push(DataError::new(
                at_u,
                tr!(
                    "unit '{unit}' ({dims}) does not fit factor '{id}', which is in '{lib_unit}' ({lib_dims})",
                    "单位“{unit}”（{dims_zh}）与因子“{id}”不相符，该因子的单位为“{lib_unit}”（{lib_dims_zh}）"
                ),
            ));
            continue;
        }
        study.overrides.push(Override {
            factor_id: id,
            value,
            unit,
            source: t.text(r, "source").unwrap_or_default(),
            location: at_v,
        });
    }
}

pub(super) fn read_measures(t: &Table<'_>, study: &mut Study, findings: &mut Vec<DataError>) {
    for r in t.rows() {
        if t.is_blank(r) {
            continue;
        }
        let at = t.col_at(r, "measure_id");
        let Some(id) = t.text(r, "measure_id") else {
            findings.push(DataError::new(
                at,
                tr!("the measure id is empty", "措施编号为空"),
            ));
            continue;
        };
        let Some(field) = t.text(r, "field") else {
            findings.push(DataError::new(
                t.col_at(r, "field"),
                tr!("the field is empty", "字段为空"),
            ));
            continue;
        };
        let at_v = t.col_at(r, "value");
        let unit = t.text(r, "unit");
        let (value, unit) = match t.number(r, "value") {
            Ok(Some((v, true))) => (Some(v / Decimal::ONE_HUNDRED), None),
            Ok(Some((v, false))) if unit.as_deref().is_some_and(|u| u.trim() == "%") => {
                (Some(v / Decimal::ONE_HUNDRED), None)
            }
            Ok(Some((v, false))) => (Some(v), unit),
            Ok(None) => (None, unit),
            Err(e) => {
                // Text values are allowed for text fields (applies_to, confidence …).
                if matches!(t.get(r, "value"), Data::String(_)) {
                    (None, unit)
                } else {
                    findings.push(e);
                    continue;
                }
            }
        };
        let text_value = t.text(r, "value");
        study.measure_rows.push(MeasureRow {
            measure_id: id,
            sector: t.text(r, "sector").unwrap_or_default(),
            name: t.text(r, "name").unwrap_or_default(),
            field: field.to_lowercase(),
            node: t.text(r, "node"),
            target: t
                .text(r, "target")
                .or(if value.is_none() { text_value } else { None }),
            value,
            unit,
            note: t.text(r, "note").unwrap_or_default(),
            location: t.col_at(r, "field"),
            value_location: at_v,
        });
    }
}

pub(super) fn read_scenarios(t: &Table<'_>, study: &mut Study, findings: &mut Vec<DataError>) {
    for r in t.rows() {
        if t.is_blank(r) {
            continue;
        }
        let Some(scenario) = t.text(r, "scenario") else {
            findings.push(DataError::new(
                t.col_at(r, "scenario"),
                tr!("the scenario is empty", "情景为空"),
            ));
            continue;
        };
        let Some(field) = t.text(r, "field") else {
            findings.push(DataError::new(
                t.col_at(r, "field"),
                tr!("the field is empty", "字段为空"),
            ));
            continue;
        };
        let year = match year_of(t.get(r, "year"), &t.col_at(r, "year")) {
            Ok(y) => y,
            Err(e) => {
                findings.push(e);
                continue;
            }
        };
        let at_v = t.col_at(r, "value");
        let unit = t.text(r, "unit");
        let percent = |u: &Option<String>| u.as_deref().is_some_and(|u| u.trim() == "%");
        let (value, unit) = match t.number(r, "value") {
            Ok(Some((v, pct))) if pct || percent(&unit) => (Some(v / Decimal::ONE_HUNDRED), None),
            Ok(Some((v, _))) => (Some(v), unit),
            Ok(None) => (None, unit),
            Err(e) => {
                findings.push(e);
                continue;
            }
        };
        study.scenario_rows.push(ScenarioRow {
            scenario,
            kind: t.text(r, "kind").unwrap_or_default().to_lowercase(),
            field: field.to_lowercase(),
            scope: t.text(r, "scope"),
            target: t.text(r, "target"),
            year,
            value,
            unit,
            note: t.text(r, "note").unwrap_or_default(),
            note_zh: String::new(),
            location: t.col_at(r, "field"),
            value_location: at_v,
        });
    }
}

pub(super) fn read_targets(t: &Table<'_>, study: &mut Study, findings: &mut Vec<DataError>) {
    for r in t.rows() {
        if t.is_blank(r) {
            continue;
        }
        let at = t.col_at(r, "target_id");
        let Some(id) = t.text(r, "target_id") else {
            findings.push(DataError::new(
                at,
                tr!("the target id is empty", "目标编号为空"),
            ));
            continue;
        };
        let year = match year_of(t.get(r, "year"), &t.col_at(r, "year")) {
            Ok(Some(y)) => y,
            Ok(None) => {
                findings.push(DataError::new(
                    t.col_at(r, "year"),
                    tr!("the year is empty", "年份为空"),
                ));
                continue;
            }
            Err(e) => {
                findings.push(e);
                continue;
            }
        };
        let Some((cap, at_c)) = required_number(t, r, "cap", findings) else {
            continue;
        };
        study.target_rows.push(TargetRow {
            id,
            year,
            substance: t.text(r, "substance").unwrap_or_default(),
            scope: t.text(r, "scope").unwrap_or_else(|| "province".into()),
            cap,
            unit: t.text(r, "unit").unwrap_or_default(),
            note: t.text(r, "note").unwrap_or_default(),
            location: at_c,
            substance_location: t.col_at(r, "substance"),
            scope_location: t.col_at(r, "scope"),
        });
    }
}
