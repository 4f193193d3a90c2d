//! Two studies compared, out: the tidy rows of an
//! [`accounting::Comparison`](crate::accounting::Comparison) as CSV (one row
//! per facility, node, source and substance), or the whole comparison as
//! JSON: `{"format": "coreduce-compare-v1", "a": {"file", "study", "year"},
//! "b": {…}, "rows": […], "facility_totals": […], "totals": […]}`. Amounts are
//! written as every output writes them ([`crate::units::written`]); an amount
//! a study does not have is an empty cell (CSV) or `null` (JSON).

use super::write_error;
use crate::accounting::Comparison;
use crate::error::{Error, Result};
use crate::output::{atomic_write, neutralise};
use rust_decimal::Decimal;
use serde::Serialize;
use std::path::Path;

/// The value of the JSON document's `format` field.
pub const COMPARE_FORMAT: &str = "coreduce-compare-v1";

/// The columns of the comparison CSV.
pub const COMPARE_COLUMNS: [&str; 13] = [
    "facility_id",
    "facility_name",
    "sector",
    "node",
    "source",
    "substance",
    "unit",
    "a",
    "b",
    "change",
    "change_pct",
    "a_year",
    "b_year",
];

/// One side of a comparison as the JSON names it: the workbook (as given),
/// the study's name (`null` where the workbook names none) and the year
/// compared (the study's base year).
#[derive(Debug, Clone, Serialize)]
pub struct ComparedStudy {
    pub file: String,
    pub study: Option<String>,
    pub year: Option<i32>,
}

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    a: &'a ComparedStudy,
    b: &'a ComparedStudy,
    rows: &'a [crate::accounting::CompareRow],
    facility_totals: &'a [crate::accounting::FacilityTotal],
    totals: &'a [crate::accounting::SubstanceTotal],
}

fn amount(d: Option<Decimal>) -> String {
    d.map(|d| crate::units::written(d).to_string())
        .unwrap_or_default()
}

fn year(y: Option<i32>) -> String {
    y.map(|y| y.to_string()).unwrap_or_default()
}

/// Writes the comparison by extension (.csv or .json), atomically, never
/// over a `protected` path (the two studies' files).
pub fn write_comparison(
    path: &Path,
    cmp: &Comparison,
    (a, b): (&ComparedStudy, &ComparedStudy),
    protected: &[&Path],
) -> Result<()> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "json" => {
            let doc = Document {
                format: COMPARE_FORMAT,
                a,
                b,
                rows: &cmp.rows,
                facility_totals: &cmp.facility_totals,
                totals: &cmp.totals,
            };
            super::write_pretty_json(path, protected, &doc)
        }
        "csv" => atomic_write(path, protected, |tmp| {
            let err = |e: csv::Error| write_error(path, "CSV", e);
            let mut w = csv::Writer::from_path(tmp).map_err(err)?;
            w.write_record(COMPARE_COLUMNS).map_err(err)?;
            for r in &cmp.rows {
                w.write_record([
                    neutralise(&r.facility_id),
                    neutralise(&r.facility_name),
                    r.sector.clone(),
                    neutralise(&r.node),
                    neutralise(&r.source),
                    r.substance.clone(),
                    r.unit.clone(),
                    amount(r.amounts.a),
                    amount(r.amounts.b),
                    amount(Some(r.amounts.change)),
                    amount(r.amounts.change_pct),
                    year(r.a_year),
                    year(r.b_year),
                ])
                .map_err(err)?;
            }
            w.flush().map_err(|e| write_error(path, "CSV", e))
        }),
        other => Err(Error::UnknownFormat {
            path: path.display().to_string(),
            extension: other.to_string(),
            supported: ".csv or .json",
        }),
    }
}
