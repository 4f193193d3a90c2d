//! Which facilities a scenario or target row applies to: the province, a
//! sector, an economic region, a city, a county or one facility, parsed from
//! the `scope` column and ranked so that the most specific row wins.

use crate::error::did_you_mean;
use crate::graph::SectorLibrary;
use crate::study::FacilityYear;
use crate::text::{Lang, Text};
use crate::tr;
use serde::Serialize;

/// Which facilities a row applies to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Scope {
    All,
    Sector(String),
    City(String),
    /// A county-level division, by its official name (夹江县), a level below the city.
    County(String),
    Region(String),
    Facility(String),
}

impl Scope {
    pub(super) fn parse(text: Option<&str>, sectors: &SectorLibrary) -> Result<Scope, Text> {
        let t = text.unwrap_or("all").trim();
        if t.is_empty() || t.eq_ignore_ascii_case("all") || t == "province" || t == "全省" {
            return Ok(Scope::All);
        }
        let (kind, id) = t.split_once(':').ok_or_else(|| {
            tr!(
                "scope '{t}' must read all, sector:<id>, city:<id>, county:<name>, region:<id> or facility:<id>",
                "范围“{t}”应写为 all、sector:<id>、city:<id>、county:<name>、region:<id> 或 facility:<id>"
            )
        })?;
        let id = id.trim();
        Ok(match kind.trim() {
            "sector" => Scope::Sector(sectors.get(id)?.id.clone()),
            "city" => Scope::City(sectors.city(id)?.id.clone()),
            "county" => {
                let place = sectors.place(id)?;
                let city = &place.city.id;
                let county = place.county.ok_or_else(|| {
                    tr!(
                        "'{id}' names the city {city}, not a county-level division; write city:{id} for the whole city",
                        "“{id}”是市（州）{city}，不是县级行政区；如指全市，请写 city:{id}"
                    )
                })?;
                Scope::County(county.name.clone())
            }
            "region" => {
                let r = sectors
                    .regions
                    .iter()
                    .find(|r| r.id == id || r.name_zh == id || r.name_en.eq_ignore_ascii_case(id))
                    .ok_or_else(|| {
                        let hint = did_you_mean(id, sectors.regions.iter().map(|r| r.id.as_str()))
                            .map(Text::from);
                        let (hint_en, hint_zh) = hint.map_or_else(Default::default, |h| {
                            (format!(" ({})", h.en), format!("（{}）", h.get(Lang::Zh)))
                        });
                        Text::new(
                            format!("unknown region '{id}'{hint_en}"),
                            format!("未知经济区“{id}”{hint_zh}"),
                        )
                    })?;
                Scope::Region(r.id.clone())
            }
            "facility" => Scope::Facility(id.to_string()),
            other => {
                return Err(tr!(
                    "unknown scope kind '{other}' (sector, city, county, region, facility)",
                    "未知范围类型“{other}”（可用 sector、city、county、region、facility）"
                ))
            }
        })
    }

    /// True when the facility-year is inside the scope.
    pub fn contains(&self, fy: &FacilityYear, sectors: &SectorLibrary) -> bool {
        match self {
            Scope::All => true,
            Scope::Sector(s) => &fy.sector == s,
            Scope::City(c) => fy.city.as_deref() == Some(c),
            Scope::County(c) => fy.county.as_deref() == Some(c),
            Scope::Region(r) => fy
                .city
                .as_deref()
                .and_then(|c| sectors.region_of(c))
                .is_some_and(|x| &x.id == r),
            Scope::Facility(f) => &fy.facility_id == f,
        }
    }

    pub(super) fn rank(&self) -> u8 {
        match self {
            Scope::All => 0,
            Scope::Sector(_) => 1,
            Scope::Region(_) => 2,
            Scope::City(_) => 3,
            Scope::County(_) => 4,
            Scope::Facility(_) => 5,
        }
    }

    /// A label for tables.
    pub fn label(&self) -> String {
        match self {
            Scope::All => "province".into(),
            Scope::Sector(s) => format!("sector:{s}"),
            Scope::City(c) => format!("city:{c}"),
            Scope::County(c) => format!("county:{c}"),
            Scope::Region(r) => format!("region:{r}"),
            Scope::Facility(f) => format!("facility:{f}"),
        }
    }

    /// The scope for people: `province` / `全省`; the others as
    /// [`Scope::label`] writes them (the form the scenarios sheet takes).
    pub fn name(&self) -> Text {
        match self {
            Scope::All => tr!("province", "全省"),
            other => Text::neutral(other.label()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_county_scope_names_a_division_below_its_city() {
        let f = crate::FactorLibrary::embedded().unwrap();
        let sectors = SectorLibrary::embedded(&f).unwrap();
        for text in ["county:夹江", "county:乐山市夹江县", "county:Jiajiang"] {
            assert_eq!(
                Scope::parse(Some(text), &sectors),
                Ok(Scope::County("夹江县".into())),
                "{text}"
            );
        }
        let err = Scope::parse(Some("county:乐山"), &sectors).unwrap_err();
        assert!(err.en.contains("city:乐山"), "{err}");
        let err = Scope::parse(Some("county:市中区"), &sectors).unwrap_err();
        assert!(err.en.contains("ambiguous"), "{err}");
        // the county ranks between the city and the facility for overlapping rows
        assert!(Scope::City("leshan".into()).rank() < Scope::County("夹江县".into()).rank());
        assert!(Scope::County("夹江县".into()).rank() < Scope::Facility("x".into()).rank());
    }
}
