//! Sector process graphs: loading `sectors/*.toml` into petgraph graphs,
//! checking them (unknown factor ids, unit mismatches along edges, dangling
//! nodes, all with file and line), solving the flow system for one unit of
//! output (a technosphere-style linear solve, so loops such as biogas from the
//! wastewater plant back to the boiler are kept), and rendering the graph as
//! text, Graphviz dot or Mermaid.
//!
//! A sector file holds data only: nodes (process steps with a product and
//! unit), flows between them per unit of the consumer's product, Tier 1 input
//! intensities per node, and emission sources naming a method and the factor
//! ids it uses. The formulas behind the methods live in `accounting`.
//!
//! The library also resolves what people write: technologies by id, name or
//! synonym (`aliases`, English and Chinese, matched after folding case, spaces
//! and punctuation), inferred from fuels (`infer_from_fuels`) where a name is
//! not recognised; and places, from `regions.toml` (the 21 prefecture-level
//! cities) and `counties.csv` (the 183 county-level divisions, MCA 2023 codes),
//! to a prefecture with the county kept.

mod def;
pub mod items;

pub use def::{City, County, FlowKind, FuelDef, FuelState, Region};

use crate::error::{did_you_mean, DataError, Error, Location, Result};
use crate::factors::FactorLibrary;
use crate::substance::Substance;
use crate::units::{parse_decimal, Quantity, Unit};
use def::{AmountDef, SectorFile};
use include_dir::{include_dir, Dir};
use petgraph::graph::{DiGraph, NodeIndex};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use toml::Spanned;

/// The repository's `sectors/` folder, embedded at build time.
pub static EMBEDDED_SECTORS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/sectors");

/// The emission-calculation methods a source may name. Their formulas are in
/// `accounting`; their parameters are factor ids in the sector file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Fuel combustion: FC × NCV × CC × OF × 44/12, SO2 by sulfur balance,
    /// other pollutants by factor.
    Combustion,
    /// Net purchased electricity × grid factor.
    Electricity,
    /// Net purchased heat × heat factor.
    Heat,
    /// Anode consumption CO2 = P·NC·(1−S−A)·44/12; SO2 = 2·P·NC·S.
    Anode,
    /// Aluminium PFCs: default factors, slope from AEM, or IPCC Tier 1.
    Pfc,
    /// Carbonate decomposition Σ mass × EF.
    Carbonate,
    /// Wastewater CH4 = (COD removed − sludge COD)·B0·MCF − recovered.
    WastewaterCh4,
    /// Fertiliser N2O, IPCC 2006 Tier 1 (direct + volatilisation + leaching).
    FertiliserN2o,
    /// Node activity × a factor, with optional capture and removal.
    Factor,
    /// Measured discharges passed through.
    Discharge,
}

impl Method {
    fn parse(s: &str) -> Option<Method> {
        Some(match s {
            "combustion" => Method::Combustion,
            "electricity" => Method::Electricity,
            "heat" => Method::Heat,
            "anode" => Method::Anode,
            "pfc" => Method::Pfc,
            "carbonate" => Method::Carbonate,
            "wastewater_ch4" => Method::WastewaterCh4,
            "fertiliser_n2o" => Method::FertiliserN2o,
            "factor" => Method::Factor,
            "discharge" => Method::Discharge,
            _ => return None,
        })
    }
    const NAMES: [&'static str; 10] = [
        "combustion",
        "electricity",
        "heat",
        "anode",
        "pfc",
        "carbonate",
        "wastewater_ch4",
        "fertiliser_n2o",
        "factor",
        "discharge",
    ];
}

/// A process step.
#[derive(Debug, Clone, Serialize)]
pub struct Node {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    pub product: String,
    #[serde(serialize_with = "ser_unit")]
    pub unit: Unit,
}

fn ser_unit<S: serde::Serializer>(u: &Unit, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(u.symbol())
}

/// An amount per unit of a node's product: a product of factors divided by
/// others, or an exact literal (identity flows).
#[derive(Debug, Clone, Serialize)]
pub struct Amount {
    pub factors: Vec<String>,
    pub divide_by: Vec<String>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub value: Option<Decimal>,
    pub unit: Option<String>,
    pub note: String,
    #[serde(skip)]
    pub location: Location,
}

/// A flow between two nodes (an edge of the graph).
#[derive(Debug, Clone, Serialize)]
pub struct Flow {
    pub from: String,
    pub to: String,
    pub label: String,
    pub kind: FlowKind,
    pub amount: Amount,
    pub technology: Vec<String>,
}

/// A Tier 1 default input of an activity item at a node.
#[derive(Debug, Clone, Serialize)]
pub struct Input {
    pub node: String,
    pub item: String,
    pub amount: Amount,
    pub technology: Vec<String>,
}

/// An emission source on a node.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub id: String,
    pub node: String,
    pub name_en: String,
    pub name_zh: String,
    pub method: Method,
    pub substances: Vec<Substance>,
    pub params: BTreeMap<String, String>,
    pub params_by_edition: BTreeMap<String, BTreeMap<String, String>>,
    pub pollutants: BTreeMap<String, BTreeMap<Substance, String>>,
    pub items: BTreeMap<String, String>,
    pub scope: u8,
    pub in_compliance: bool,
    #[serde(skip)]
    pub location: Location,
}

impl Source {
    /// The factor id of a parameter for an edition (edition-specific first).
    pub fn param(&self, name: &str, edition: &str) -> Option<&str> {
        self.params_by_edition
            .get(edition)
            .and_then(|p| p.get(name))
            .or_else(|| self.params.get(name))
            .map(String::as_str)
    }
}

/// A sub-type of a sector where formulas or defaults differ.
#[derive(Debug, Clone, Serialize)]
pub struct Technology {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    pub aliases: Vec<String>,
    /// fuel ids that indicate this technology (inference from activity)
    pub infer_from_fuels: Vec<String>,
    pub cell: Option<String>,
}

/// An accounting edition (guideline) of a sector.
#[derive(Debug, Clone, Serialize)]
pub struct Edition {
    pub id: String,
    pub name: String,
    pub gwp: String,
    pub fuel_tables: Vec<String>,
    pub note: String,
}

/// One sector's process graph and accounting recipe.
#[derive(Debug, Clone)]
pub struct Sector {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    pub aliases: Vec<String>,
    pub output_unit: Unit,
    pub output_label: String,
    pub reference_node: String,
    pub default_node: String,
    pub default_technology: String,
    pub default_edition: String,
    pub editions: BTreeMap<String, Edition>,
    pub technologies: Vec<Technology>,
    pub nodes: Vec<Node>,
    pub flows: Vec<Flow>,
    pub inputs: Vec<Input>,
    pub sources: Vec<Source>,
    /// The petgraph view: nodes are indices into `nodes`, edges into `flows`.
    pub graph: DiGraph<usize, usize>,
    pub path: String,
}

/// The context that fills templates in factor ids.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub edition: &'a str,
    pub technology: &'a str,
}

/// All sectors plus the fuel list.
#[derive(Debug, Clone)]
pub struct SectorLibrary {
    pub sectors: BTreeMap<String, Sector>,
    pub fuels: Vec<FuelDef>,
    pub cities: Vec<City>,
    pub regions: Vec<Region>,
    /// Sichuan's county-level divisions (empty when `counties.csv` is absent).
    pub counties: Vec<County>,
}

/// A place resolved to its prefecture, with the county where one was named.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    pub city: &'a City,
    pub county: Option<&'a County>,
}

/// Folds a place or technology name for matching: full-width ASCII to ASCII,
/// lower case, and only letters and digits kept (spaces, hyphens, commas,
/// apostrophes and brackets dropped; Chinese characters kept).
pub fn fold_name(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Strips an ethnic designation and 自治州 from an official prefecture name
/// (凉山彝族自治州 → 凉山, 阿坝藏族羌族自治州 → 阿坝).
fn strip_autonomous(s: &str) -> Option<&str> {
    let mut rest = s.strip_suffix("自治州")?;
    while let Some(i) = rest.rfind('族') {
        if i + '族'.len_utf8() != rest.len() {
            break;
        }
        // one ethnic name is one to two characters before 族 (藏, 彝, 羌, 土家)
        let head = &rest[..i];
        let cut = ["土家", "藏", "彝", "羌", "苗", "回"]
            .iter()
            .find_map(|e| head.strip_suffix(e))?;
        rest = cut;
    }
    Some(rest)
}

impl SectorLibrary {
    /// The sectors shipped in the binary, checked against `factors`.
    pub fn embedded(factors: &FactorLibrary) -> Result<SectorLibrary> {
        let mut files: Vec<(String, String)> = EMBEDDED_SECTORS
            .files()
            .filter_map(|f| {
                Some((
                    format!("sectors/{}", f.path().display()),
                    f.contents_utf8()?.to_string(),
                ))
            })
            .collect();
        files.sort();
        SectorLibrary::from_files(&files, factors)
    }

    /// Sectors from (path, text) pairs: `fuels.toml` and `<sector>.toml` files.
    pub fn from_files(files: &[(String, String)], factors: &FactorLibrary) -> Result<Self> {
        let mut findings = Vec::new();
        let mut fuels = Vec::new();
        for (path, text) in files.iter().filter(|(p, _)| p.ends_with("fuels.toml")) {
            match toml::from_str::<def::FuelsFile>(text) {
                Ok(f) => fuels = f.fuel,
                Err(e) => findings.push(toml_error(path, text, &e)),
            }
        }
        let (mut cities, mut regions) = (Vec::new(), Vec::new());
        for (path, text) in files.iter().filter(|(p, _)| p.ends_with("regions.toml")) {
            match toml::from_str::<def::RegionsFile>(text) {
                Ok(f) => {
                    for r in &f.region {
                        for c in &r.cities {
                            if !f.city.iter().any(|x| &x.id == c) {
                                findings.push(DataError::new(
                                    Location::file(path),
                                    format!("region '{}' names unknown city '{c}'", r.id),
                                ));
                            }
                        }
                    }
                    cities = f.city;
                    regions = f.region;
                }
                Err(e) => findings.push(toml_error(path, text, &e)),
            }
        }
        let mut counties: Vec<County> = Vec::new();
        for (path, text) in files.iter().filter(|(p, _)| p.ends_with("counties.csv")) {
            let mut r = csv::ReaderBuilder::new()
                .comment(Some(b'#'))
                .from_reader(text.as_bytes());
            for (i, row) in r.deserialize::<County>().enumerate() {
                match row {
                    Ok(c) if cities.iter().any(|x| x.id == c.prefecture) => counties.push(c),
                    Ok(c) => findings.push(DataError::new(
                        Location::file(path),
                        format!(
                            "county {} {} names unknown city '{}'",
                            c.code, c.name, c.prefecture
                        ),
                    )),
                    Err(e) => findings.push(DataError::new(
                        Location::file(path),
                        format!("row {}: {e}", i + 1),
                    )),
                }
            }
        }
        let fuel_ids: Vec<&str> = fuels.iter().map(|f| f.id.as_str()).collect();
        let mut sectors = BTreeMap::new();
        for (path, text) in files.iter().filter(|(p, _)| {
            p.ends_with(".toml") && !p.ends_with("fuels.toml") && !p.ends_with("regions.toml")
        }) {
            match toml::from_str::<SectorFile>(text) {
                Ok(file) => match compile(file, path, text, &fuel_ids) {
                    Ok(sector) => {
                        findings.extend(sector.check(factors));
                        sectors.insert(sector.id.clone(), sector);
                    }
                    Err(mut errs) => findings.append(&mut errs),
                },
                Err(e) => findings.push(toml_error(path, text, &e)),
            }
        }
        if findings.is_empty() {
            Ok(SectorLibrary {
                sectors,
                fuels,
                cities,
                regions,
                counties,
            })
        } else {
            findings.sort();
            Err(Error::from_findings(findings))
        }
    }

    /// A sector by id or alias (`aluminium`, `电解铝`, `Al`), with did-you-mean.
    pub fn get(&self, name: &str) -> std::result::Result<&Sector, String> {
        let t = name.trim();
        self.sectors
            .values()
            .find(|s| {
                s.id.eq_ignore_ascii_case(t)
                    || s.name_zh == t
                    || s.aliases.iter().any(|a| a.eq_ignore_ascii_case(t))
            })
            .ok_or_else(|| {
                let hint = did_you_mean(t, self.sectors.keys().map(String::as_str))
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default();
                format!(
                    "unknown sector '{t}'{hint}; known: {}",
                    self.sectors.keys().cloned().collect::<Vec<_>>().join(", ")
                )
            })
    }

    /// The fuel with this id or alias.
    pub fn fuel(&self, id: &str) -> Option<&FuelDef> {
        self.fuels
            .iter()
            .find(|f| f.id == id || f.name_zh == id || f.aliases.iter().any(|a| a == id))
    }

    /// A Sichuan city by id, Chinese name (with or without 市/州) or English name.
    pub fn city(&self, name: &str) -> std::result::Result<&City, String> {
        let t = name.trim();
        let bare = t.trim_end_matches(['市', '州']);
        let norm = |s: &str| s.to_lowercase().replace([' ', '\'', '-'], "");
        self.cities
            .iter()
            .find(|c| {
                c.id == norm(t)
                    || c.name_zh.trim_end_matches(['市', '州']) == bare
                    || norm(&c.name_en) == norm(t)
                    || norm(&c.name_en).starts_with(&format!("{}(", norm(t)))
            })
            .ok_or_else(|| {
                let hint = did_you_mean(t, self.cities.iter().map(|c| c.id.as_str()))
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default();
                format!("'{t}' is not one of Sichuan's 21 prefecture-level cities{hint}")
            })
    }

    /// A place as people write it, resolved to its prefecture-level city: a
    /// city (`乐山`, `乐山市`, `Leshan`, `凉山彝族自治州`, `四川省乐山市`), or one of
    /// the 183 county-level divisions alone or after its prefecture (`夹江县`,
    /// `夹江`, `乐山市夹江县`, `凉山州会理市`, `Jiajiang`), which is kept as the
    /// county. A name shared by divisions of several prefectures (`市中区`) is
    /// an error listing them; a name that matches nothing gets a did-you-mean.
    pub fn place(&self, name: &str) -> std::result::Result<Place<'_>, String> {
        let t: String = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut s = t.as_str();
        for p in ["四川省", "四川", "Sichuan Province", "Sichuan"] {
            if let Some(rest) = s.strip_prefix(p) {
                if !rest.trim().is_empty() {
                    s = rest.trim_start_matches([' ', ',', '，']);
                    break;
                }
            }
        }
        if let Some(city) = self.prefecture(s) {
            return Ok(Place { city, county: None });
        }
        // a prefecture written before the county: 乐山市夹江县, 凉山州会理市
        let mut heads: Vec<(String, &City)> = Vec::new();
        // 凉山州 → 凉山, but 泸州 stays 泸州 (a one-character name keeps its 州)
        let bare_of = |c: &City| match c.name_zh.strip_suffix('州') {
            Some(b) if b.chars().count() >= 2 => b.to_string(),
            _ => c.name_zh.clone(),
        };
        for c in &self.cities {
            let bare = bare_of(c);
            for h in [
                format!("{bare}市"),
                format!("{bare}州"),
                bare.clone(),
                c.name_en.clone(),
                c.id.clone(),
            ] {
                heads.push((h, c));
            }
        }
        for c in &self.cities {
            for official in ["彝族自治州", "藏族自治州", "藏族羌族自治州"] {
                let bare = bare_of(c);
                heads.push((format!("{bare}{official}"), c));
            }
        }
        heads.sort_by_key(|(h, _)| std::cmp::Reverse(h.len()));
        for (head, city) in &heads {
            let Some(rest) = strip_prefix_ci(s, head) else {
                continue;
            };
            let rest = rest.trim_start_matches([' ', ',', '，', '-', '/']);
            if rest.is_empty() {
                continue;
            }
            let found = self.counties_named(rest);
            if let Some(county) = found.iter().find(|c| c.prefecture == city.id) {
                return Ok(Place {
                    city,
                    county: Some(county),
                });
            }
        }
        // a county alone (or with its prefecture after it: "Jiajiang, Leshan")
        let (county_text, after) = match s.split_once([',', '，']) {
            Some((a, b)) => (a.trim(), self.prefecture(b.trim())),
            None => (s, None),
        };
        let mut found = self.counties_named(county_text);
        if let Some(city) = after {
            found.retain(|c| c.prefecture == city.id);
        }
        match found.as_slice() {
            [one] => Ok(Place {
                city: self
                    .cities
                    .iter()
                    .find(|c| c.id == one.prefecture)
                    .ok_or_else(|| {
                        format!(
                            "county {} names unknown city '{}'",
                            one.name, one.prefecture
                        )
                    })?,
                county: Some(one),
            }),
            [] => {
                let names = self
                    .cities
                    .iter()
                    .map(|c| c.name_zh.as_str())
                    .chain(self.cities.iter().map(|c| c.id.as_str()))
                    .chain(self.counties.iter().map(|c| c.name.as_str()))
                    .chain(self.counties.iter().map(|c| c.pinyin.as_str()));
                let hint = did_you_mean(s, names)
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default();
                Err(format!(
                    "'{t}' is not one of Sichuan's {} prefecture-level cities or {} county-level divisions{hint}",
                    self.cities.len(),
                    self.counties.len()
                ))
            }
            many => {
                let list = many
                    .iter()
                    .map(|c| {
                        let city = self.cities.iter().find(|x| x.id == c.prefecture);
                        format!(
                            "{} in {} ({})",
                            c.name,
                            city.map(|x| x.name_zh.as_str()).unwrap_or(&c.prefecture),
                            city.map(|x| x.name_en.as_str()).unwrap_or(""),
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                let example = many
                    .first()
                    .and_then(|c| self.cities.iter().find(|x| x.id == c.prefecture))
                    .map(|x| {
                        let bare = bare_of(x);
                        let suffix = if bare != x.name_zh { "州" } else { "市" };
                        format!("{bare}{suffix}{county_text}")
                    })
                    .unwrap_or_default();
                Err(format!(
                    "'{t}' is ambiguous: it names {} county-level divisions, {list}; write the prefecture with it (e.g. '{example}')",
                    many.len()
                ))
            }
        }
    }

    /// A prefecture by any of its names, including the official forms
    /// (凉山彝族自治州) and 市/州 suffixes.
    fn prefecture(&self, s: &str) -> Option<&City> {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        let s = strip_autonomous(s).unwrap_or(s);
        let bare = s.trim_end_matches(['市', '州']);
        if bare.is_empty() {
            return None;
        }
        let f = fold_name(s);
        self.cities.iter().find(|c| {
            c.id == f
                || c.name_zh.trim_end_matches(['市', '州']) == bare
                || fold_name(&c.name_en) == f
                || c.name_en
                    .split_once('(')
                    .is_some_and(|(a, b)| fold_name(a) == f || fold_name(b) == f)
        })
    }

    /// The county-level divisions a name can mean: official name, short name
    /// (when it has two or more characters) or pinyin (with or without the
    /// suffix `county`, `district`, `xian`, `qu`, `shi`).
    fn counties_named(&self, s: &str) -> Vec<&County> {
        let s = s.trim();
        let f = fold_name(s);
        if f.is_empty() {
            return Vec::new();
        }
        let mut latin = vec![f.clone()];
        for suffix in [
            "county",
            "district",
            "city",
            "autonomouscounty",
            "xian",
            "qu",
            "shi",
        ] {
            if let Some(x) = f.strip_suffix(suffix) {
                if !x.is_empty() {
                    latin.push(x.to_string());
                }
            }
        }
        self.counties
            .iter()
            .filter(|c| {
                c.name == s
                    || (c.short == s && s.chars().count() >= 2)
                    || latin.iter().any(|l| fold_name(&c.pinyin) == *l)
            })
            .collect()
    }

    /// The economic region of a city id.
    pub fn region_of(&self, city_id: &str) -> Option<&Region> {
        self.regions
            .iter()
            .find(|r| r.cities.iter().any(|c| c == city_id))
    }

    /// Fuel ids.
    pub fn fuel_ids(&self) -> Vec<&str> {
        self.fuels.iter().map(|f| f.id.as_str()).collect()
    }
}

/// `s` without `head` at its start (ASCII case ignored).
fn strip_prefix_ci<'a>(s: &'a str, head: &str) -> Option<&'a str> {
    if s.len() >= head.len()
        && s.is_char_boundary(head.len())
        && s[..head.len()].eq_ignore_ascii_case(head)
    {
        Some(&s[head.len()..])
    } else {
        None
    }
}

fn toml_error(path: &str, text: &str, e: &toml::de::Error) -> DataError {
    let line = e
        .span()
        .map(|s| crate::error::line_of(text, s.start))
        .unwrap_or(1);
    DataError::new(Location::line(path, line), e.message().trim().to_string())
}

struct Spans<'a> {
    path: &'a str,
    text: &'a str,
}

impl Spans<'_> {
    fn at<T>(&self, s: &Spanned<T>) -> Location {
        Location::line(self.path, crate::error::line_of(self.text, s.span().start))
    }
}

fn compile(
    file: SectorFile,
    path: &str,
    text: &str,
    fuels: &[&str],
) -> std::result::Result<Sector, Vec<DataError>> {
    let sp = Spans { path, text };
    let mut errs = Vec::new();
    let meta = &file.sector;
    let output_unit = Unit::parse(meta.output_unit.get_ref()).unwrap_or_else(|e| {
        errs.push(DataError::new(sp.at(&meta.output_unit), e.to_string()));
        Unit::one()
    });
    let mut nodes = Vec::new();
    let mut seen = BTreeSet::new();
    for n in &file.node {
        if !seen.insert(n.id.get_ref().clone()) {
            errs.push(DataError::new(
                sp.at(&n.id),
                format!("duplicate node '{}'", n.id.get_ref()),
            ));
        }
        let unit = Unit::parse(n.unit.get_ref()).unwrap_or_else(|e| {
            errs.push(DataError::new(sp.at(&n.unit), e.to_string()));
            Unit::one()
        });
        nodes.push(Node {
            id: n.id.get_ref().clone(),
            name_en: n.name_en.clone(),
            name_zh: n.name_zh.clone(),
            product: n.product.clone(),
            unit,
        });
    }
    let node_ids: Vec<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
    let check_node = |s: &Spanned<String>, errs: &mut Vec<DataError>| {
        if !node_ids.contains(&s.get_ref().as_str()) {
            errs.push(
                DataError::new(sp.at(s), format!("unknown node '{}'", s.get_ref()))
                    .with_hint(did_you_mean(s.get_ref(), node_ids.iter().copied())),
            );
        }
    };
    check_node(&meta.reference_node, &mut errs);
    check_node(&meta.default_node, &mut errs);
    let technologies: Vec<Technology> = file
        .technology
        .iter()
        .map(|t| Technology {
            id: t.id.get_ref().clone(),
            name_en: t.name_en.clone(),
            name_zh: t.name_zh.clone(),
            aliases: t.aliases.clone(),
            infer_from_fuels: t.infer_from_fuels.clone(),
            cell: t.cell.clone(),
        })
        .collect();
    let tech_ids: Vec<&str> = technologies.iter().map(|t| t.id.as_str()).collect();
    let check_techs = |v: &[Spanned<String>], errs: &mut Vec<DataError>| -> Vec<String> {
        v.iter()
            .map(|t| {
                if !tech_ids.contains(&t.get_ref().as_str()) {
                    errs.push(
                        DataError::new(sp.at(t), format!("unknown technology '{}'", t.get_ref()))
                            .with_hint(did_you_mean(t.get_ref(), tech_ids.iter().copied())),
                    );
                }
                t.get_ref().clone()
            })
            .collect()
    };
    if !tech_ids.contains(&meta.default_technology.get_ref().as_str()) {
        errs.push(DataError::new(
            sp.at(&meta.default_technology),
            format!(
                "default technology '{}' is not declared",
                meta.default_technology.get_ref()
            ),
        ));
    }
    if !meta.edition.contains_key(meta.default_edition.get_ref()) {
        errs.push(DataError::new(
            sp.at(&meta.default_edition),
            format!(
                "default edition '{}' is not declared",
                meta.default_edition.get_ref()
            ),
        ));
    }
    let editions = meta
        .edition
        .iter()
        .map(|(id, e)| {
            (
                id.clone(),
                Edition {
                    id: id.clone(),
                    name: e.name.clone(),
                    gwp: e.gwp.clone(),
                    fuel_tables: e.fuel_tables.iter().map(|t| t.get_ref().clone()).collect(),
                    note: e.note.clone(),
                },
            )
        })
        .collect();
    let amount = |a: &AmountDef, at: Location, errs: &mut Vec<DataError>| -> Amount {
        let value = a.value.as_ref().map(|v| {
            parse_decimal(v.get_ref()).unwrap_or_else(|| {
                errs.push(DataError::new(
                    sp.at(v),
                    format!("'{}' is not a decimal number", v.get_ref()),
                ));
                Decimal::ZERO
            })
        });
        if value.is_some() == (!a.factors.is_empty() || !a.divide_by.is_empty()) {
            errs.push(DataError::new(
                at.clone(),
                "an amount needs either `factors` or `value` (with `unit` and `note`), not both",
            ));
        }
        if value.is_some() && (a.unit.is_none() || a.note.trim().is_empty()) {
            errs.push(DataError::new(
                at.clone(),
                "a literal amount needs a `unit` and a `note` saying why it holds",
            ));
        }
        if let Some(u) = &a.unit {
            if let Err(e) = Unit::parse(u.get_ref()) {
                errs.push(DataError::new(sp.at(u), e.to_string()));
            }
        }
        Amount {
            factors: a.factors.iter().map(|f| f.get_ref().clone()).collect(),
            divide_by: a.divide_by.iter().map(|f| f.get_ref().clone()).collect(),
            value,
            unit: a.unit.as_ref().map(|u| u.get_ref().clone()),
            note: a.note.clone(),
            location: at,
        }
    };
    let mut flows = Vec::new();
    for f in &file.flow {
        check_node(&f.from, &mut errs);
        check_node(&f.to, &mut errs);
        if f.from.get_ref() == f.to.get_ref() {
            errs.push(DataError::new(
                sp.at(&f.from),
                "a flow cannot go from a node to itself",
            ));
        }
        let technology = check_techs(&f.technology, &mut errs);
        flows.push(Flow {
            from: f.from.get_ref().clone(),
            to: f.to.get_ref().clone(),
            label: f.label.clone(),
            kind: f.kind,
            amount: amount(&f.amount, sp.at(&f.from), &mut errs),
            technology,
        });
    }
    let mut inputs = Vec::new();
    for i in &file.input {
        check_node(&i.node, &mut errs);
        if items::item_spec(i.item.get_ref(), fuels).is_none() {
            errs.push(
                DataError::new(
                    sp.at(&i.item),
                    format!("unknown item '{}'", i.item.get_ref()),
                )
                .with_hint(did_you_mean(
                    i.item.get_ref(),
                    items::item_examples(fuels).iter().map(String::as_str),
                )),
            );
        }
        let technology = check_techs(&i.technology, &mut errs);
        inputs.push(Input {
            node: i.node.get_ref().clone(),
            item: i.item.get_ref().clone(),
            amount: amount(&i.amount, sp.at(&i.item), &mut errs),
            technology,
        });
    }
    let mut sources = Vec::new();
    let mut source_ids = BTreeSet::new();
    for s in &file.source {
        check_node(&s.node, &mut errs);
        if !source_ids.insert(s.id.get_ref().clone()) {
            errs.push(DataError::new(
                sp.at(&s.id),
                format!("duplicate source '{}'", s.id.get_ref()),
            ));
        }
        let method = Method::parse(s.method.get_ref());
        if method.is_none() {
            errs.push(
                DataError::new(
                    sp.at(&s.method),
                    format!("unknown method '{}'", s.method.get_ref()),
                )
                .with_hint(did_you_mean(s.method.get_ref(), Method::NAMES)),
            );
        }
        let mut substances = Vec::new();
        for x in &s.substances {
            match Substance::parse(x.get_ref()) {
                Some(sub) => substances.push(sub),
                None => errs.push(
                    DataError::new(sp.at(x), format!("unknown substance '{}'", x.get_ref()))
                        .with_hint(did_you_mean(x.get_ref(), Substance::codes())),
                ),
            }
        }
        let mut pollutants = BTreeMap::new();
        for (fuel, table) in &s.pollutants {
            if !fuels.contains(&fuel.as_str()) {
                errs.push(
                    DataError::new(sp.at(&s.id), format!("unknown fuel '{fuel}' in pollutants"))
                        .with_hint(did_you_mean(fuel, fuels.iter().copied())),
                );
            }
            let mut t = BTreeMap::new();
            for (sub, id) in table {
                match Substance::parse(sub) {
                    Some(x) => {
                        t.insert(x, id.get_ref().clone());
                    }
                    None => errs.push(DataError::new(
                        sp.at(id),
                        format!("unknown substance '{sub}'"),
                    )),
                }
            }
            pollutants.insert(fuel.clone(), t);
        }
        for item in s.items.keys() {
            if items::item_spec(item, fuels).is_none() {
                errs.push(DataError::new(
                    sp.at(&s.id),
                    format!("unknown item '{item}'"),
                ));
            }
        }
        sources.push(Source {
            id: s.id.get_ref().clone(),
            node: s.node.get_ref().clone(),
            name_en: s.name_en.clone(),
            name_zh: s.name_zh.clone(),
            method: method.unwrap_or(Method::Factor),
            substances,
            params: s
                .params
                .iter()
                .map(|(k, v)| (k.clone(), v.get_ref().clone()))
                .collect(),
            params_by_edition: s
                .params_by_edition
                .iter()
                .map(|(e, m)| {
                    (
                        e.clone(),
                        m.iter()
                            .map(|(k, v)| (k.clone(), v.get_ref().clone()))
                            .collect(),
                    )
                })
                .collect(),
            pollutants,
            items: s
                .items
                .iter()
                .map(|(k, v)| (k.clone(), v.get_ref().clone()))
                .collect(),
            scope: s.scope,
            in_compliance: s.in_compliance,
            location: sp.at(&s.id),
        });
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    let mut graph = DiGraph::new();
    let idx: BTreeMap<&str, NodeIndex> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), graph.add_node(i)))
        .collect();
    for (i, f) in flows.iter().enumerate() {
        graph.add_edge(idx[f.from.as_str()], idx[f.to.as_str()], i);
    }
    Ok(Sector {
        id: meta.id.clone(),
        name_en: meta.name_en.clone(),
        name_zh: meta.name_zh.clone(),
        aliases: meta.aliases.clone(),
        output_unit,
        output_label: meta.output_label.clone(),
        reference_node: meta.reference_node.get_ref().clone(),
        default_node: meta.default_node.get_ref().clone(),
        default_technology: meta.default_technology.get_ref().clone(),
        default_edition: meta.default_edition.get_ref().clone(),
        editions,
        technologies,
        nodes,
        flows,
        inputs,
        sources,
        graph,
        path: path.to_string(),
    })
}

/// Fills `{edition}`, `{technology}` and `{cell}` in a factor-id template.
pub fn expand(template: &str, sector: &Sector, ctx: Context<'_>) -> String {
    // Most ids are plain: no placeholder, nothing to look up or replace.
    if !template.contains('{') {
        return template.to_string();
    }
    let cell = sector
        .technologies
        .iter()
        .find(|t| t.id == ctx.technology)
        .and_then(|t| t.cell.as_deref())
        .unwrap_or(ctx.technology);
    template
        .replace("{edition}", ctx.edition)
        .replace("{technology}", ctx.technology)
        .replace("{cell}", cell)
}

/// The activity scaling of each node for a given final demand.
#[derive(Debug, Clone, Serialize)]
pub struct Scaling {
    /// node id → activity in the node's unit
    pub activity: BTreeMap<String, Quantity2>,
}

/// A serialisable quantity (value as a string, unit symbol).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quantity2 {
    #[serde(with = "rust_decimal::serde::str")]
    pub value: Decimal,
    pub unit: String,
}

impl Sector {
    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// Resolves a technology by id, name or alias, English or Chinese
    /// (`cwpb`, `CWPB prebake cells`, `roller kiln`, `密集烤房`), after folding
    /// case, spaces and punctuation. Free text that is no name maps to the
    /// technology whose longest name it contains (`strong-aroma solid-state,
    /// gas boiler` → `gas_boiler`), when that is one technology only.
    pub fn technology(&self, name: &str) -> std::result::Result<&Technology, String> {
        let t = name.trim();
        let f = fold_name(t);
        let names = |x: &'_ Technology| {
            let mut v = vec![
                fold_name(&x.id),
                fold_name(&x.name_en),
                fold_name(&x.name_zh),
            ];
            v.extend(x.aliases.iter().map(|a| fold_name(a)));
            v.retain(|n| !n.is_empty());
            v
        };
        if let Some(x) = self.technologies.iter().find(|x| names(x).contains(&f)) {
            return Ok(x);
        }
        // the longest name contained in the text, if it belongs to one technology
        let mut best: Option<(usize, Vec<&Technology>)> = None;
        if !f.is_empty() {
            for x in &self.technologies {
                for n in names(x) {
                    // short words ("gas", "coal") only count as whole text
                    if n.chars().count() < 4 && n.is_ascii() {
                        continue;
                    }
                    if !f.contains(&n) {
                        continue;
                    }
                    let len = n.chars().count();
                    match &mut best {
                        Some((l, v)) if *l == len => {
                            if !v.iter().any(|y| y.id == x.id) {
                                v.push(x)
                            }
                        }
                        Some((l, _)) if *l > len => {}
                        _ => best = Some((len, vec![x])),
                    }
                }
            }
        }
        if let Some((_, v)) = &best {
            if let [one] = v.as_slice() {
                return Ok(one);
            }
        }
        let hint = did_you_mean(t, self.technologies.iter().map(|x| x.id.as_str()))
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        let ambiguous = match &best {
            Some((_, v)) if v.len() > 1 => format!(
                " (it could be {})",
                v.iter()
                    .map(|x| x.id.as_str())
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            _ => String::new(),
        };
        Err(format!(
            "unknown technology '{t}' for sector {}{ambiguous}{hint}; known: {}",
            self.id,
            self.technologies
                .iter()
                .map(|x| x.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }

    /// The technology indicated by the fuels a facility uses (the first
    /// technology, in the sector file's order, one of whose `infer_from_fuels`
    /// appears), with the fuel that decided it.
    pub fn infer_technology<'a>(
        &'a self,
        fuels: &BTreeSet<String>,
    ) -> Option<(&'a Technology, &'a str)> {
        self.technologies.iter().find_map(|t| {
            t.infer_from_fuels
                .iter()
                .find(|f| fuels.contains(f.as_str()))
                .map(|f| (t, f.as_str()))
        })
    }

    /// True when the edition's formulas depend on the technology (a source
    /// parameter of that edition names `{cell}` or `{technology}`, as the IPCC
    /// 2006 aluminium PFC factors do by cell type).
    pub fn method_needs_technology(&self, edition: &str) -> bool {
        self.sources.iter().any(|s| {
            s.params_by_edition
                .get(edition)
                .into_iter()
                .flat_map(|p| p.values())
                .chain(s.params.values())
                .any(|v| v.contains("{cell}") || v.contains("{technology}"))
        })
    }

    /// Every factor id this sector names, for all editions and technologies
    /// (templates expanded).
    pub fn factor_ids(&self) -> BTreeSet<String> {
        let mut templates: Vec<&str> = Vec::new();
        for f in &self.flows {
            templates.extend(f.amount.factors.iter().map(String::as_str));
            templates.extend(f.amount.divide_by.iter().map(String::as_str));
        }
        for i in &self.inputs {
            templates.extend(i.amount.factors.iter().map(String::as_str));
            templates.extend(i.amount.divide_by.iter().map(String::as_str));
        }
        for s in &self.sources {
            templates.extend(s.params.values().map(String::as_str));
            templates.extend(
                s.params_by_edition
                    .values()
                    .flat_map(|p| p.values().map(String::as_str)),
            );
            templates.extend(s.items.values().map(String::as_str));
            templates.extend(
                s.pollutants
                    .values()
                    .flat_map(|t| t.values().map(String::as_str)),
            );
        }
        let mut out = BTreeSet::new();
        for e in self.editions.keys() {
            for t in &self.technologies {
                let ctx = Context {
                    edition: e,
                    technology: &t.id,
                };
                out.extend(templates.iter().map(|x| expand(x, self, ctx)));
            }
        }
        out
    }

    /// Evaluates an amount to an exact quantity.
    pub fn eval_amount(
        &self,
        a: &Amount,
        ctx: Context<'_>,
        lib: &FactorLibrary,
        used: &mut Vec<String>,
    ) -> std::result::Result<Quantity, DataError> {
        if let Some(v) = a.value {
            let unit = Unit::parse(a.unit.as_deref().unwrap_or("1"))
                .map_err(|e| DataError::new(a.location.clone(), e.to_string()))?;
            return Ok(Quantity::new(v, unit));
        }
        let mut q: Option<Quantity> = None;
        let located = |e: DataError| DataError {
            location: a.location.clone(),
            ..e
        };
        for id in &a.factors {
            let id = expand(id, self, ctx);
            let f = match lib.find(&id) {
                Some(f) => f,
                None => lib.get(&id).map_err(located)?,
            };
            used.push(id);
            let next = Quantity::new(f.value, f.unit.clone());
            q = Some(match q {
                None => next,
                Some(q) => q
                    .mul(&next)
                    .map_err(|e| DataError::new(a.location.clone(), e.to_string()))?,
            });
        }
        let mut q = q.unwrap_or_else(|| Quantity::new(Decimal::ONE, Unit::one()));
        for id in &a.divide_by {
            let id = expand(id, self, ctx);
            let f = match lib.find(&id) {
                Some(f) => f,
                None => lib.get(&id).map_err(located)?,
            };
            used.push(id);
            q = q
                .div(&Quantity::new(f.value, f.unit.clone()))
                .map_err(|e| DataError::new(a.location.clone(), e.to_string()))?;
        }
        Ok(q)
    }

    fn applies(list: &[String], technology: &str) -> bool {
        list.is_empty() || list.iter().any(|t| t == technology)
    }

    /// Flows that apply to a technology.
    pub fn flows_for<'a>(&'a self, technology: &'a str) -> impl Iterator<Item = &'a Flow> + 'a {
        self.flows
            .iter()
            .filter(move |f| Sector::applies(&f.technology, technology))
    }

    /// Inputs that apply to a technology.
    pub fn inputs_for<'a>(&'a self, technology: &'a str) -> impl Iterator<Item = &'a Input> + 'a {
        self.inputs
            .iter()
            .filter(move |i| Sector::applies(&i.technology, technology))
    }

    /// Solves the flow system for `output` units of the reference product:
    /// (I − A + C)·s = f, where A holds inputs per unit of each consumer and C
    /// co-products. Gaussian elimination with partial pivoting on exact
    /// decimals; a singular system (a loop that feeds itself one-for-one) is an
    /// error naming the nodes involved.
    pub fn solve(
        &self,
        output: Decimal,
        ctx: Context<'_>,
        lib: &FactorLibrary,
        used: &mut Vec<String>,
    ) -> std::result::Result<BTreeMap<String, Decimal>, DataError> {
        let n = self.nodes.len();
        let index: BTreeMap<&str, usize> = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, x)| (x.id.as_str(), i))
            .collect();
        let mut m = vec![vec![Decimal::ZERO; n]; n];
        for (i, row) in m.iter_mut().enumerate() {
            row[i] = Decimal::ONE;
        }
        for f in self.flows_for(ctx.technology) {
            let (from, to) = (index[f.from.as_str()], index[f.to.as_str()]);
            let q = self.eval_amount(&f.amount, ctx, lib, used)?;
            let (num, den, row, col, sign) = match f.kind {
                FlowKind::Supply | FlowKind::Waste => (from, to, from, to, -Decimal::ONE),
                FlowKind::Coproduct => (to, from, to, from, Decimal::ONE),
            };
            let want = self.nodes[num]
                .unit
                .div(&self.nodes[den].unit)
                .map_err(|e| DataError::new(f.amount.location.clone(), e.to_string()))?;
            let coeff = q.value_in(&want).map_err(|_| {
                DataError::new(
                    f.amount.location.clone(),
                    format!(
                        "unit mismatch along the edge {} → {}: the amount is in '{}' ({}), but the edge needs '{}' per '{}'",
                        f.from,
                        f.to,
                        q.unit,
                        q.unit.dims(),
                        self.nodes[num].unit,
                        self.nodes[den].unit
                    ),
                )
            })?;
            m[row][col] = coeff
                .checked_mul(sign)
                .and_then(|c| m[row][col].checked_add(c))
                .ok_or_else(|| {
                    DataError::new(
                        f.amount.location.clone(),
                        format!(
                            "the flow {} → {} of {coeff} is out of range: check the factor values it uses",
                            f.from, f.to
                        ),
                    )
                })?;
        }
        let mut rhs = vec![Decimal::ZERO; n];
        rhs[index[self.reference_node.as_str()]] = output;
        let s = gauss(m, rhs).map_err(|e| match e {
            Gauss::Singular => DataError::new(
                Location::file(&self.path),
                format!(
                    "the flow system of sector '{}' is singular: a loop supplies itself one-for-one",
                    self.id
                ),
            ),
            Gauss::Overflow => DataError::new(
                Location::Api {
                    what: format!("sector '{}' flow solve", self.id),
                },
                format!(
                    "solving the flows of sector '{}' for an output of {output} is out of range (larger than about 7.9e28): check the output and the factor values",
                    self.id
                ),
            ),
        })?;
        Ok(self.nodes.iter().map(|x| x.id.clone()).zip(s).collect())
    }

    /// Checks the sector against the factor library for every edition and
    /// technology: every factor id exists, units agree along every edge, every
    /// node is connected to the reference node, the flow system solves.
    pub fn check(&self, lib: &FactorLibrary) -> Vec<DataError> {
        let mut out = BTreeSet::new();
        // Connectivity (undirected) to the reference node.
        let reference = self.nodes.iter().position(|n| n.id == self.reference_node);
        if let Some(r) = reference {
            let und = petgraph::algo::kosaraju_scc(&{
                let mut g = self.graph.clone();
                for e in self.graph.edge_indices() {
                    if let Some((a, b)) = self.graph.edge_endpoints(e) {
                        g.add_edge(b, a, usize::MAX);
                    }
                }
                g
            });
            let comp = und
                .iter()
                .find(|c| c.iter().any(|ix| self.graph[*ix] == r))
                .cloned()
                .unwrap_or_default();
            for ix in self.graph.node_indices() {
                if !comp.contains(&ix) {
                    let node = &self.nodes[self.graph[ix]];
                    out.insert(DataError::new(
                        Location::file(&self.path),
                        format!(
                            "node '{}' is dangling: no flow connects it to the reference node '{}'",
                            node.id, self.reference_node
                        ),
                    ));
                }
            }
        }
        for edition in self.editions.keys() {
            for tech in &self.technologies {
                let ctx = Context {
                    edition,
                    technology: &tech.id,
                };
                let mut used = Vec::new();
                if let Err(e) = self.solve(Decimal::ONE, ctx, lib, &mut used) {
                    out.insert(e);
                }
                for input in self.inputs_for(&tech.id) {
                    if let Err(e) = self.eval_amount(&input.amount, ctx, lib, &mut used) {
                        out.insert(e);
                    }
                }
                for s in &self.sources {
                    let mut params: BTreeMap<&str, &str> = s
                        .params
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect();
                    if let Some(p) = s.params_by_edition.get(edition.as_str()) {
                        params.extend(p.iter().map(|(k, v)| (k.as_str(), v.as_str())));
                    }
                    let ids = params
                        .into_values()
                        .chain(s.items.values().map(String::as_str))
                        .chain(
                            s.pollutants
                                .values()
                                .flat_map(|t| t.values().map(String::as_str)),
                        );
                    for id in ids {
                        let full = expand(id, self, ctx);
                        if !lib.contains(&full) {
                            out.insert(
                                DataError::new(
                                    s.location.clone(),
                                    format!(
                                        "unknown factor '{full}' (source '{}', edition {edition}, technology {})",
                                        s.id, tech.id
                                    ),
                                )
                                .with_hint(did_you_mean(&full, lib.ids())),
                            );
                        }
                    }
                }
                for table in self.editions[edition].fuel_tables.iter() {
                    let prefix = format!("fuel.{table}.");
                    if !lib.ids().any(|id| id.starts_with(&prefix)) {
                        out.insert(DataError::new(
                            Location::file(&self.path),
                            format!("edition {edition} names fuel table '{table}', which has no factors"),
                        ));
                    }
                }
            }
        }
        out.into_iter().collect()
    }
}

/// Why a flow system has no solution in exact decimals.
#[derive(Debug, PartialEq, Eq)]
enum Gauss {
    /// A zero pivot: a loop that feeds itself one-for-one.
    Singular,
    /// A step left the range of a `Decimal`.
    Overflow,
}

/// Solves m·x = rhs exactly (Gaussian elimination, partial pivoting).
fn gauss(mut m: Vec<Vec<Decimal>>, mut rhs: Vec<Decimal>) -> Result<Vec<Decimal>, Gauss> {
    let n = rhs.len();
    for col in 0..n {
        let pivot = (col..n)
            .max_by_key(|&r| m[r][col].abs())
            .ok_or(Gauss::Singular)?;
        if m[pivot][col].is_zero() {
            return Err(Gauss::Singular);
        }
        m.swap(col, pivot);
        rhs.swap(col, pivot);
        for r in 0..n {
            if r != col && !m[r][col].is_zero() {
                let f = m[r][col].checked_div(m[col][col]).ok_or(Gauss::Overflow)?;
                let pivot_row = m[col].clone();
                for (cell, p) in m[r].iter_mut().zip(pivot_row).skip(col) {
                    *cell = f
                        .checked_mul(p)
                        .and_then(|x| cell.checked_sub(x))
                        .ok_or(Gauss::Overflow)?;
                }
                rhs[r] = f
                    .checked_mul(rhs[col])
                    .and_then(|x| rhs[r].checked_sub(x))
                    .ok_or(Gauss::Overflow)?;
            }
        }
    }
    (0..n)
        .map(|i| rhs[i].checked_div(m[i][i]).ok_or(Gauss::Overflow))
        .collect()
}

pub mod render;

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn gauss_solves_a_loop() {
        // x = 10 + 0.5 y ; y = 0.4 x  →  x = 12.5, y = 5
        let m = vec![vec![dec!(1), dec!(-0.5)], vec![dec!(-0.4), dec!(1)]];
        let s = gauss(m, vec![dec!(10), dec!(0)]).unwrap();
        assert_eq!(s, vec![dec!(12.5), dec!(5)]);
    }

    #[test]
    fn gauss_reports_singular() {
        let m = vec![vec![dec!(1), dec!(-1)], vec![dec!(-1), dec!(1)]];
        assert_eq!(gauss(m, vec![dec!(1), dec!(0)]), Err(Gauss::Singular));
    }

    #[test]
    fn gauss_reports_overflow_apart_from_singular() {
        let m = vec![vec![dec!(1), dec!(-1)], vec![dec!(0), dec!(0.0000000001)]];
        let max = Decimal::MAX;
        assert_eq!(gauss(m, vec![dec!(0), max]), Err(Gauss::Overflow));
    }
}
