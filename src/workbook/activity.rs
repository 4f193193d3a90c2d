//! The `activity` sheet: one value per facility, year and item, with its unit,
//! note and uncertainty, grouped into facility-years.

use super::*;

pub(super) fn read_activity(
    t: &Table<'_>,
    study: &mut Study,
    sectors: &SectorLibrary,
    findings: &mut Vec<DataError>,
) {
    let fuels = sectors.fuel_ids();
    let examples = item_examples(&fuels);
    let facilities: BTreeMap<String, Facility> = study
        .facilities
        .iter()
        .map(|f| (f.id.clone(), f.clone()))
        .collect();
    let mut years: BTreeMap<(String, i32), FacilityYear> = BTreeMap::new();
    let mut seen: BTreeMap<(String, i32, String), Location> = BTreeMap::new();
    for r in t.rows() {
        if t.is_blank(r) {
            continue;
        }
        let at_f = t.col_at(r, "facility_id");
        let Some(fid) = t.text(r, "facility_id") else {
            findings.push(DataError::new(at_f, "the facility id is empty"));
            continue;
        };
        let Some(facility) = facilities.get(&fid) else {
            findings.push(
                DataError::new(
                    at_f,
                    format!("facility '{fid}' is not listed in the facilities sheet"),
                )
                .with_hint(did_you_mean(&fid, facilities.keys().map(String::as_str))),
            );
            continue;
        };
        let at_y = t.col_at(r, "year");
        let year = match t.number(r, "year") {
            Ok(Some((y, false)))
                if y.fract().is_zero()
                    && y.to_i32().is_some_and(|y| (1990..=2100).contains(&y)) =>
            {
                y.to_i32().unwrap_or_default()
            }
            Ok(Some(_)) => {
                findings.push(DataError::new(
                    at_y,
                    "the year must be a whole year between 1990 and 2100",
                ));
                continue;
            }
            Ok(None) => {
                findings.push(DataError::new(at_y, "the year is empty"));
                continue;
            }
            Err(e) => {
                findings.push(e);
                continue;
            }
        };
        let at_i = t.col_at(r, "item");
        let Some(item_text) = t.text(r, "item") else {
            findings.push(DataError::new(at_i, "the item is empty"));
            continue;
        };
        // An item written as a name (外购电力, purchased electricity, 原煤)
        // is read as its code; the code is what every output shows.
        let item_text = {
            let (item, node) = split_node(&item_text);
            match item_spec(item, &fuels) {
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
        let Some(spec) = item_spec(item, &fuels) else {
            findings.push(
                DataError::new(at_i, format!("unknown item '{item}'"))
                    .with_hint(did_you_mean(item, examples.iter().map(String::as_str))),
            );
            continue;
        };
        if let Some(n) = node {
            if let Ok(sec) = sectors.get(&facility.sector) {
                if sec.node(n).is_none() {
                    findings.push(
                        DataError::new(
                            at_i,
                            format!("unknown process '{n}' for sector {}", sec.id),
                        )
                        .with_hint(did_you_mean(n, sec.nodes.iter().map(|x| x.id.as_str()))),
                    );
                    continue;
                }
            }
        }
        let key = (fid.clone(), year, item_text.clone());
        if let Some(first) = seen.get(&key) {
            findings.push(DataError::new(
                at_i,
                format!("'{item_text}' for {fid} in {year} is repeated (first at {first}); rows are not summed"),
            ));
            continue;
        }
        seen.insert(key, at_i.clone());
        let at_v = t.col_at(r, "value");
        let numeric_cell = matches!(t.get(r, "value"), Data::Float(_) | Data::Int(_));
        let (value, pct) = match t.number(r, "value") {
            Ok(Some(v)) => v,
            Ok(None) => {
                findings.push(DataError::new(at_v, "the value is empty"));
                continue;
            }
            Err(e) => {
                findings.push(e);
                continue;
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
                    format!("the value is written as a percentage but its unit is '{u}'"),
                ));
                continue;
            }
            (Some(u), false) => u,
            (None, false) => {
                findings.push(DataError::new(at_u, "the unit is empty"));
                continue;
            }
        };
        let unit = match Unit::parse(&unit_text) {
            // a rate per year given for an amount is one year's amount
            Ok(u) if u.is_per_year() && spec.kind == ItemKind::Amount => u.annual().unwrap_or(u),
            Ok(u) => u,
            Err(e) => {
                findings.push(DataError::new(at_u, e.to_string()));
                continue;
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
            findings.push(DataError::new(
                at_v,
                format!(
                    "{} in a '%' row reads as {} % or, if the cell was typed as '{as_percent}%' (a percent-formatted cell), as {as_percent} %; this file's number formats cannot be read: type the value as text ('{as_percent}%' or '{} %'), or give the unit 'fraction'",
                    value.normalize(), value.normalize(), value.normalize()
                ),
            ));
            continue;
        }
        let uncertainty = match t.text(r, "uncertainty") {
            Some(text) => match crate::factors::Uncertainty::parse(&text, value) {
                Ok(u) => Some(u),
                Err(m) => {
                    findings.push(DataError::new(
                        t.col_at(r, "uncertainty"),
                        format!("uncertainty '{text}': {m}"),
                    ));
                    continue;
                }
            },
            None => None,
        };
        if unit.symbol() == "%" && (value > Decimal::ONE_HUNDRED || value < Decimal::ZERO) {
            findings.push(DataError::new(
                at_v,
                format!("a percentage must lie between 0 and 100, got {value} %"),
            ));
            continue;
        }
        years
            .entry((fid.clone(), year))
            .or_insert_with(|| FacilityYear {
                facility_id: fid.clone(),
                name: facility.name.clone(),
                sector: facility.sector.clone(),
                technology: facility.technology.clone(),
                city: facility.city.clone(),
                county: facility.county.clone(),
                year,
                activity: Vec::new(),
            })
            .activity
            .push(Activity {
                item: item_text.clone(),
                quantity: Quantity::new(value, unit),
                location: at_v,
                uncertainty,
            });
    }
    study.facility_years = years.into_values().collect();
}
