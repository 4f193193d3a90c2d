//! Codes as a Chinese study's workbooks write them: sectors, technologies,
//! cities, processes and sources by their Chinese names (`电解铝`,
//! `燃煤密集烤房`, `乐山市`, `窑炉`). An English workbook, the CSV and the JSON
//! keep the codes, which scripts and the workbook's own columns use.

use crate::graph::SectorLibrary;
use crate::text::Lang;
use rustc_hash::FxHashMap as HashMap;

/// The names a workbook shows for codes; empty (codes as they are) in English.
#[derive(Debug, Default, Clone)]
pub struct Names {
    sectors: HashMap<String, String>,
    cities: HashMap<String, String>,
    /// (sector, technology) → name
    technologies: HashMap<(String, String), String>,
    /// (sector, process) → name
    processes: HashMap<(String, String), String>,
    /// (sector, source) → name
    sources: HashMap<(String, String), String>,
}

impl Names {
    /// The Chinese names of the library's codes for a Chinese workbook; none
    /// for an English one.
    pub fn of(sectors: &SectorLibrary, lang: Lang) -> Names {
        let mut names = Names::default();
        if lang == Lang::En {
            return names;
        }
        let named = |zh: &str| (!zh.is_empty()).then(|| zh.to_string());
        for s in sectors.sectors.values() {
            if let Some(n) = named(&s.name_zh) {
                names.sectors.insert(s.id.clone(), n);
            }
            for t in &s.technologies {
                if let Some(n) = named(&t.name_zh) {
                    names.technologies.insert((s.id.clone(), t.id.clone()), n);
                }
            }
            for node in &s.nodes {
                if let Some(n) = named(&node.name_zh) {
                    names.processes.insert((s.id.clone(), node.id.clone()), n);
                }
            }
            for src in &s.sources {
                if let Some(n) = named(&src.name_zh) {
                    names.sources.insert((s.id.clone(), src.id.clone()), n);
                }
            }
        }
        for c in &sectors.cities {
            if let Some(n) = named(&c.name_zh) {
                names.cities.insert(c.id.clone(), n);
            }
        }
        names
    }

    pub fn sector<'a>(&'a self, id: &'a str) -> &'a str {
        self.sectors.get(id).map_or(id, String::as_str)
    }

    pub fn city<'a>(&'a self, id: &'a str) -> &'a str {
        self.cities.get(id).map_or(id, String::as_str)
    }

    pub fn technology<'a>(&'a self, sector: &str, id: &'a str) -> &'a str {
        self.technologies
            .get(&(sector.to_string(), id.to_string()))
            .map_or(id, String::as_str)
    }

    pub fn process<'a>(&'a self, sector: &str, id: &'a str) -> &'a str {
        if self.processes.is_empty() {
            return id;
        }
        self.processes
            .get(&(sector.to_string(), id.to_string()))
            .map_or(id, String::as_str)
    }

    pub fn source<'a>(&'a self, sector: &str, id: &'a str) -> &'a str {
        if self.sources.is_empty() {
            return id;
        }
        self.sources
            .get(&(sector.to_string(), id.to_string()))
            .map_or(id, String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_names_for_a_chinese_workbook_and_codes_for_an_english_one() {
        let f = crate::FactorLibrary::embedded().unwrap();
        let s = SectorLibrary::embedded(&f).unwrap();
        let zh = Names::of(&s, Lang::Zh);
        assert_eq!(zh.sector("aluminium"), "电解铝");
        assert_eq!(zh.city("leshan"), "乐山");
        assert_eq!(zh.technology("tobacco", "coal_bulk_barn"), "燃煤密集烤房");
        assert_eq!(zh.sector("own_sector"), "own_sector");
        let en = Names::of(&s, Lang::En);
        assert_eq!(en.sector("aluminium"), "aluminium");
        assert_eq!(en.process("ceramics", "kiln"), "kiln");
    }
}
