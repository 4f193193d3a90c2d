//! The inventory as JSON with stable field names:
//! `{"format": "coreduce-inventory-v1", "inventories": [...], "factors_used": [...]}`.
//!
//! Written as the inventories are computed, one facility-year per line
//! (compact JSON, so 100k facility-years stay a file a tool can read, and
//! `jq -c '.inventories[]'` or a line-oriented reader can stream it); the
//! factors used close the document.

use super::{write_error, InventoryWriter, RunSummary};
use crate::accounting::Inventory;
use crate::error::Result;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The value of the document's `format` field.
pub const JSON_FORMAT: &str = "coreduce-inventory-v1";

pub(crate) struct JsonWriter {
    out: std::io::BufWriter<std::fs::File>,
    path: PathBuf,
    written: usize,
}

impl JsonWriter {
    pub(crate) fn create(path: &Path) -> Result<Self> {
        let f = std::fs::File::create(path).map_err(|e| crate::Error::Io {
            path: path.display().to_string(),
            source: e,
        })?;
        let mut w = JsonWriter {
            out: std::io::BufWriter::with_capacity(1 << 16, f),
            path: path.to_path_buf(),
            written: 0,
        };
        write!(w.out, "{{\"format\":\"{JSON_FORMAT}\",\n\"inventories\":[")
            .map_err(|e| write_error(&w.path, "JSON", e))?;
        Ok(w)
    }
}

impl InventoryWriter for JsonWriter {
    fn write(&mut self, batch: &[Inventory]) -> Result<()> {
        for inv in batch {
            let sep: &[u8] = if self.written == 0 { b"\n" } else { b",\n" };
            self.out
                .write_all(sep)
                .map_err(|e| write_error(&self.path, "JSON", e))?;
            serde_json::to_writer(&mut self.out, inv)
                .map_err(|e| write_error(&self.path, "JSON", e))?;
            self.written += 1;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>, run: &RunSummary<'_>) -> Result<()> {
        let factors: Vec<&crate::factors::Factor> = run
            .factor_ids
            .iter()
            .filter_map(|id| run.lib.find(id))
            .collect();
        let path = self.path.clone();
        let err = |e: &dyn std::fmt::Display| write_error(&path, "JSON", e);
        self.out
            .write_all(b"\n],\n\"factors_used\":")
            .map_err(|e| err(&e))?;
        serde_json::to_writer_pretty(&mut self.out, &factors).map_err(|e| err(&e))?;
        self.out.write_all(b"}\n").map_err(|e| err(&e))?;
        self.out.flush().map_err(|e| err(&e))
    }
}
