//! The measure library: the TOML files of `sectors/measures/` (embedded at
//! build time, or given as files), compiled by `def` and checked for
//! duplicate ids.

use super::{def, Measure};
use crate::error::{DataError, Error, Location};
use crate::graph::SectorLibrary;
use crate::tr;
use include_dir::{include_dir, Dir};
use std::collections::BTreeMap;

/// `sectors/measures/`, embedded at build time.
pub static EMBEDDED_MEASURES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/sectors/measures");

/// The measure library.
#[derive(Debug, Clone, Default)]
pub struct MeasureLibrary {
    pub measures: Vec<Measure>,
}

impl MeasureLibrary {
    /// The measures shipped in `sectors/measures/`.
    pub fn embedded(sectors: &SectorLibrary) -> crate::Result<MeasureLibrary> {
        let mut files: Vec<(String, String)> = EMBEDDED_MEASURES
            .files()
            .filter_map(|f| {
                Some((
                    format!("sectors/measures/{}", f.path().display()),
                    f.contents_utf8()?.to_string(),
                ))
            })
            .collect();
        files.sort();
        MeasureLibrary::from_files(&files, sectors)
    }

    /// Measures from (path, text) TOML files.
    pub fn from_files(files: &[(String, String)], sectors: &SectorLibrary) -> crate::Result<Self> {
        let mut errs = Vec::new();
        let mut measures = Vec::new();
        for (path, text) in files {
            match toml::from_str::<def::MeasuresFile>(text) {
                Ok(f) => measures.extend(def::compile(f, path, text, sectors, &mut errs)),
                Err(e) => {
                    let line = e
                        .span()
                        .map(|s| crate::error::line_of(text, s.start))
                        .unwrap_or(1);
                    errs.push(DataError::new(
                        Location::line(path, line),
                        e.message().trim().to_string(),
                    ));
                }
            }
        }
        let mut seen = BTreeMap::new();
        for m in &measures {
            if let Some(first) = seen.insert(m.id.clone(), m.location.clone()) {
                let id = &m.id;
                errs.push(DataError::new(
                    m.location.clone(),
                    tr!(
                        "duplicate measure id '{id}' (first at {first})",
                        "措施 id“{id}”重复（首次出现于 {first}）"
                    ),
                ));
            }
        }
        if errs.is_empty() {
            Ok(MeasureLibrary { measures })
        } else {
            errs.sort();
            Err(Error::from_findings(errs))
        }
    }

    /// The measure with this id.
    pub fn get(&self, id: &str) -> Option<&Measure> {
        self.measures.iter().find(|m| m.id == id)
    }
}
