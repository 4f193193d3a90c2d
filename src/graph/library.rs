//! The sector library: the embedded sector graphs, fuels, cities, regions and
//! counties; lookups by id or by what people write (technology synonyms,
//! county and prefecture names), with did-you-mean on a miss.

use super::*;
use crate::text::{Lang, Text};
use crate::tr;

/// A did-you-mean appended to a message: ` (hint)` in English, `（hint）` in
/// Chinese, or nothing in both.
pub(super) fn hint_suffix(hint: Option<String>) -> (String, String) {
    match hint.map(Text::from) {
        Some(h) => (format!(" ({})", h.en), format!("（{}）", h.get(Lang::Zh))),
        None => (String::new(), String::new()),
    }
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
pub(super) fn strip_autonomous(s: &str) -> Option<&str> {
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
                                let region = &r.id;
                                findings.push(DataError::new(
                                    Location::file(path),
                                    tr!(
                                        "region '{region}' names unknown city '{c}'",
                                        "区域“{region}”列出了未知的市（州）“{c}”"
                                    ),
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
                    Ok(c) => {
                        let (code, county, city) = (&c.code, &c.name, &c.prefecture);
                        findings.push(DataError::new(
                            Location::file(path),
                            tr!(
                                "county {code} {county} names unknown city '{city}'",
                                "县级行政区 {code} {county} 所属的市（州）“{city}”不存在"
                            ),
                        ))
                    }
                    Err(e) => {
                        let row = i + 1;
                        findings.push(DataError::new(
                            Location::file(path),
                            tr!("row {row}: {e}", "第 {row} 行：{e}"),
                        ))
                    }
                }
            }
        }
        let mut items = Vec::new();
        for (path, text) in files.iter().filter(|(p, _)| p.ends_with("items.toml")) {
            match toml::from_str::<def::ItemsFile>(text) {
                Ok(f) => items = f.item,
                Err(e) => findings.push(toml_error(path, text, &e)),
            }
        }
        let fuel_ids: Vec<&str> = fuels.iter().map(|f| f.id.as_str()).collect();
        for i in &items {
            if crate::graph::items::item_spec(&i.id, &fuel_ids).is_none() {
                let item = &i.id;
                findings.push(DataError::new(
                    Location::file("sectors/items.toml"),
                    tr!(
                        "names for unknown item '{item}'",
                        "为未知活动数据项“{item}”定义了名称"
                    ),
                ));
            }
        }
        let mut sectors = BTreeMap::new();
        for (path, text) in files.iter().filter(|(p, _)| {
            p.ends_with(".toml")
                && !p.ends_with("fuels.toml")
                && !p.ends_with("regions.toml")
                && !p.ends_with("items.toml")
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
                items,
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
    pub fn get(&self, name: &str) -> std::result::Result<&Sector, Text> {
        let t = name.trim();
        self.sectors
            .values()
            .find(|s| {
                s.id.eq_ignore_ascii_case(t)
                    || s.name_zh == t
                    || s.aliases.iter().any(|a| a.eq_ignore_ascii_case(t))
            })
            .ok_or_else(|| {
                let (hint_en, hint_zh) =
                    hint_suffix(did_you_mean(t, self.sectors.keys().map(String::as_str)));
                let known = self.sectors.keys().cloned().collect::<Vec<_>>().join(", ");
                Text::new(
                    format!("unknown sector '{t}'{hint_en}; known: {known}"),
                    format!("未知行业“{t}”{hint_zh}；可选行业：{known}"),
                )
            })
    }

    /// A sector's name in `lang` (`电解铝`, `Electrolytic aluminium`), or its
    /// id where the library has no name for it.
    pub fn sector_name(&self, id: &str, lang: Lang) -> String {
        self.sectors
            .get(id)
            .map(|s| match lang {
                Lang::Zh => s.name_zh.as_str(),
                Lang::En => s.name_en.as_str(),
            })
            .filter(|n| !n.is_empty())
            .unwrap_or(id)
            .to_string()
    }

    /// A city's name in `lang` (`乐山市`, `Leshan`) from its id, or the id
    /// where it is not one of the library's cities.
    pub fn city_name(&self, id: &str, lang: Lang) -> String {
        self.cities
            .iter()
            .find(|c| c.id == id)
            .map(|c| match lang {
                Lang::Zh => c.name_zh.as_str(),
                Lang::En => c.name_en.as_str(),
            })
            .filter(|n| !n.is_empty())
            .unwrap_or(id)
            .to_string()
    }

    /// The code of an activity item written as a name (`外购电力`,
    /// `purchased electricity`, `原煤`), or None. Names are matched after
    /// folding case, spaces and punctuation; fuels by their names in
    /// `fuels.toml` (giving `fuel.<id>`).
    pub fn item_by_name(&self, text: &str) -> Option<String> {
        let want = fold_name(text);
        if want.is_empty() {
            return None;
        }
        let hit = |id: &String, en: &String, zh: &String, aliases: &[String]| {
            [id, en, zh]
                .into_iter()
                .chain(aliases)
                .any(|n| fold_name(n) == want)
        };
        if let Some(i) = self
            .items
            .iter()
            .find(|i| hit(&i.id, &i.name_en, &i.name_zh, &i.aliases))
        {
            return Some(i.id.clone());
        }
        self.fuels
            .iter()
            .find(|f| hit(&f.id, &f.name_en, &f.name_zh, &f.aliases))
            .map(|f| format!("fuel.{}", f.id))
    }

    /// Every item name the activity sheet accepts besides the codes.
    pub fn item_names(&self) -> impl Iterator<Item = (&str, &str)> {
        self.items.iter().flat_map(|i| {
            [&i.name_en, &i.name_zh]
                .into_iter()
                .chain(&i.aliases)
                .map(move |n| (n.as_str(), i.id.as_str()))
        })
    }

    pub fn fuel(&self, id: &str) -> Option<&FuelDef> {
        self.fuels
            .iter()
            .find(|f| f.id == id || f.name_zh == id || f.aliases.iter().any(|a| a == id))
    }

    /// A Sichuan city by id, Chinese name (with or without 市/州) or English name.
    pub fn city(&self, name: &str) -> std::result::Result<&City, Text> {
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
                let (hint_en, hint_zh) =
                    hint_suffix(did_you_mean(t, self.cities.iter().map(|c| c.id.as_str())));
                Text::new(
                    format!("'{t}' is not one of Sichuan's 21 prefecture-level cities{hint_en}"),
                    format!("“{t}”不是四川省 21 个市（州）之一{hint_zh}"),
                )
            })
    }

    /// A place as people write it, resolved to its prefecture-level city: a
    /// city (`乐山`, `乐山市`, `Leshan`, `凉山彝族自治州`, `四川省乐山市`), or one of
    /// the 183 county-level divisions alone or after its prefecture (`夹江县`,
    /// `夹江`, `乐山市夹江县`, `凉山州会理市`, `Jiajiang`), which is kept as the
    /// county. A name shared by divisions of several prefectures (`市中区`) is
    /// an error listing them; a name that matches nothing gets a did-you-mean.
    pub fn place(&self, name: &str) -> std::result::Result<Place<'_>, Text> {
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
                        let (county, city) = (&one.name, &one.prefecture);
                        tr!(
                            "county {county} names unknown city '{city}'",
                            "县级行政区 {county} 所属的市（州）“{city}”不存在"
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
                let (hint_en, hint_zh) = hint_suffix(did_you_mean(s, names));
                let (cities, counties) = (self.cities.len(), self.counties.len());
                Err(Text::new(
                    format!("'{t}' is not one of Sichuan's {cities} prefecture-level cities or {counties} county-level divisions{hint_en}"),
                    format!("“{t}”不是四川省 {cities} 个市（州）或 {counties} 个县级行政区之一{hint_zh}"),
                ))
            }
            many => {
                let (list, list_zh): (Vec<String>, Vec<String>) = many
                    .iter()
                    .map(|c| {
                        let city = self.cities.iter().find(|x| x.id == c.prefecture);
                        let zh = city.map(|x| x.name_zh.as_str()).unwrap_or(&c.prefecture);
                        let en = city.map(|x| x.name_en.as_str()).unwrap_or("");
                        (
                            format!("{} in {zh} ({en})", c.name),
                            format!("{zh}{}", c.name),
                        )
                    })
                    .unzip();
                let (list, list_zh) = (list.join(", "), list_zh.join("、"));
                let example = many
                    .first()
                    .and_then(|c| self.cities.iter().find(|x| x.id == c.prefecture))
                    .map(|x| {
                        let bare = bare_of(x);
                        let suffix = if bare != x.name_zh { "州" } else { "市" };
                        format!("{bare}{suffix}{county_text}")
                    })
                    .unwrap_or_default();
                let n = many.len();
                Err(Text::new(
                    format!("'{t}' is ambiguous: it names {n} county-level divisions, {list}; write the prefecture with it (e.g. '{example}')"),
                    format!("“{t}”有歧义：有 {n} 个县级行政区同名（{list_zh}）；请连同所属市（州）一起填写（如“{example}”）"),
                ))
            }
        }
    }

    /// A prefecture by any of its names, including the official forms
    /// (凉山彝族自治州) and 市/州 suffixes.
    pub(super) fn prefecture(&self, s: &str) -> Option<&City> {
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
    pub(super) fn counties_named(&self, s: &str) -> Vec<&County> {
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
pub(super) fn strip_prefix_ci<'a>(s: &'a str, head: &str) -> Option<&'a str> {
    if s.len() >= head.len()
        && s.is_char_boundary(head.len())
        && s[..head.len()].eq_ignore_ascii_case(head)
    {
        Some(&s[head.len()..])
    } else {
        None
    }
}
