//! The `facilities` sheet: ids, sectors, places (city and county), capacities
//! and technologies (written as codes or words, inferred from the fuels where
//! the method allows).

use super::*;

/// A technology written in words that matched none of the sector's names:
/// resolved from the facility's fuels once the activity is read.
pub(super) struct PendingTechnology {
    pub(super) facility: String,
    pub(super) text: String,
    pub(super) message: Text,
    pub(super) location: Location,
}

/// The facilities read, and the technologies still to resolve.
pub(super) struct FacilitiesRead {
    pub(super) pending: Vec<PendingTechnology>,
    /// Facilities listed with a finding that leaves them unusable (an
    /// unknown sector): their activity rows are not reported as facilities
    /// missing from the sheet, since the facility's own row has the finding.
    pub(super) unusable: std::collections::BTreeSet<String>,
}

pub(super) fn read_facilities(
    t: &Table<'_>,
    study: &mut Study,
    sectors: &SectorLibrary,
    findings: &mut Vec<DataError>,
) -> FacilitiesRead {
    let mut seen: BTreeMap<String, Location> = BTreeMap::new();
    let mut pending = Vec::new();
    let mut unusable = std::collections::BTreeSet::new();
    for r in t.rows() {
        if t.is_blank(r) {
            continue;
        }
        let Some((id, at)) = unique_id(t, r, "facility_id", "facility", &mut seen, findings) else {
            continue;
        };
        let at_s = t.col_at(r, "sector");
        let sector = match t.text(r, "sector") {
            None => {
                findings.push(DataError::new(
                    at_s,
                    tr!(
                        "the sector is empty (baijiu, aluminium, tobacco or ceramics)",
                        "行业为空（应为 baijiu、aluminium、tobacco 或 ceramics）"
                    ),
                ));
                unusable.insert(id);
                continue;
            }
            Some(s) => match sectors.get(&s) {
                Ok(sec) => sec,
                Err(m) => {
                    findings.push(DataError::new(at_s, m));
                    unusable.insert(id);
                    continue;
                }
            },
        };
        let technology = match t.text(r, "technology") {
            Some(tech) => match sector.technology(&tech) {
                Ok(x) => Some(x.id.clone()),
                Err(m) => {
                    pending.push(PendingTechnology {
                        facility: id.clone(),
                        text: tech,
                        message: m,
                        location: t.col_at(r, "technology"),
                    });
                    None
                }
            },
            None => None,
        };
        let (city, county) = match t.text(r, "city") {
            Some(c) => match sectors.place(&c) {
                Ok(p) => (Some(p.city.id.clone()), p.county.map(|x| x.name.clone())),
                Err(m) => {
                    findings.push(DataError::new(t.col_at(r, "city"), m));
                    (None, None)
                }
            },
            None => (None, None),
        };
        let capacity = match t.number(r, "capacity") {
            Ok(Some((v, _))) if v < Decimal::ZERO => {
                findings.push(DataError::new(
                    t.col_at(r, "capacity"),
                    tr!(
                        "capacity cannot be negative ({v}): give the production capacity, or leave the cell empty",
                        "产能不能为负数（{v}）：请填写生产能力，或将该单元格留空"
                    ),
                ));
                None
            }
            Ok(Some((v, _))) => match t.text(r, "capacity_unit") {
                Some(u) => match Quantity::parse(v, &u) {
                    // a capacity per year is one year's amount
                    Ok(q) => Some(match q.unit.annual() {
                        Some(a) => Quantity::new(q.value, a),
                        None => q,
                    }),
                    Err(e) => {
                        findings.push(DataError::new(
                            t.col_at(r, "capacity_unit"),
                            Text::new(e.to_string(), e.text(Lang::Zh)),
                        ));
                        None
                    }
                },
                None => {
                    findings.push(DataError::new(
                        t.col_at(r, "capacity_unit"),
                        tr!("capacity needs its unit", "产能须注明单位"),
                    ));
                    None
                }
            },
            Ok(None) => None,
            Err(e) => {
                findings.push(e);
                None
            }
        };
        study.facilities.push(Facility {
            name: t.text(r, "name").unwrap_or_else(|| id.clone()),
            id,
            sector: sector.id.clone(),
            technology,
            city,
            county,
            capacity,
            location: at,
        });
    }
    FacilitiesRead { pending, unusable }
}

/// Technologies written in words that matched no name: inferred from the
/// facility's fuels (or the sector default) with a notice where the method
/// does not depend on the technology; an error where the edition's formulas
/// need it (the IPCC 2006 aluminium PFC factors by cell type).
pub(super) fn resolve_technologies(
    study: &mut Study,
    pending: Vec<PendingTechnology>,
    sectors: &SectorLibrary,
    findings: &mut Vec<DataError>,
) {
    for p in pending {
        let Some(fi) = study.facilities.iter().position(|f| f.id == p.facility) else {
            continue;
        };
        let Ok(sector) = sectors.get(&study.facilities[fi].sector) else {
            continue;
        };
        let edition = study
            .settings
            .editions
            .get(&sector.id)
            .cloned()
            .unwrap_or_else(|| sector.default_edition.clone());
        if sector.method_needs_technology(&edition) {
            let sector_id = &sector.id;
            findings.push(DataError::new(
                p.location,
                Text::new(
                    format!(
                        "{}. The {edition} method of {sector_id} depends on the technology (its factors are per technology or cell type), and it cannot be inferred from the activity",
                        p.message.en
                    ),
                    format!(
                        "{}。{sector_id} 的 {edition} 方法取决于技术（其因子按技术或电解槽型分列），无法根据活动数据推断",
                        p.message.get(Lang::Zh)
                    ),
                ),
            ));
            continue;
        }
        let fuels: std::collections::BTreeSet<String> = study
            .facility_years
            .iter()
            .filter(|fy| fy.facility_id == p.facility)
            .flat_map(|fy| fy.activity.iter())
            .filter_map(|a| {
                let (item, _) = split_node(&a.item);
                let rest = item.strip_prefix("fuel.")?;
                (!rest.contains('.')).then(|| rest.to_string())
            })
            .collect();
        let (id, why) = match sector.infer_technology(&fuels) {
            Some((t, fuel)) => (
                t.id.clone(),
                tr!("inferred from its fuel.{fuel}", "由其燃料 fuel.{fuel} 推断"),
            ),
            None => (
                sector.default_technology.clone(),
                tr!(
                    "the sector default (no fuel in its activity indicates one)",
                    "采用行业缺省技术（其活动数据中没有可据以判断的燃料）"
                ),
            ),
        };
        let (location, text, facility, sector_id) = (&p.location, &p.text, &p.facility, &sector.id);
        study.notices.push(Text::new(
            format!(
                "{location}: technology '{text}' of {facility} is not one {sector_id} knows; '{id}' is used, {}",
                why.en
            ),
            format!(
                "{location}：设施 {facility} 的技术“{text}”不在 {sector_id} 行业的技术列表中；采用“{id}”，{}",
                why.get(Lang::Zh)
            ),
        ));
        study.facilities[fi].technology = Some(id.clone());
        for fy in study
            .facility_years
            .iter_mut()
            .filter(|fy| fy.facility_id == p.facility)
        {
            fy.technology = Some(id.clone());
        }
    }
}
