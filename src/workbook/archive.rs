//! Zip-bomb guard for xlsx/ods archives, before calamine inflates anything:
//! every entry is inflated once into a counter (declared sizes can lie), so
//! the whole archive is bounded in decompressed bytes and each large entry in
//! its compression ratio, in constant memory.

use super::Limits;
use std::io::Read;
use std::path::Path;

/// Highest compression ratio accepted for an entry larger than
/// [`RATIO_FLOOR_BYTES`]: workbooks compress about 10× (measured on the
/// synthetic provinces: 10.2–11.3×), highly repetitive sheets up to a few
/// dozen; zip bombs thousands.
pub const MAX_RATIO: u64 = 200;
/// Entries up to this size are not ratio-checked (small files compress wildly).
pub const RATIO_FLOOR_BYTES: u64 = 16 * 1024 * 1024;

/// Inflates every entry into a counter; an error names the entry and the bound.
pub(super) fn check_zip(path: &Path, limits: &Limits) -> Result<(), String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut archive = zip::ZipArchive::new(file)
        .map_err(|e| format!("not a readable workbook (corrupt zip archive: {e})"))?;
    // The declared total first: a cheap refusal of an honest bomb.
    if let Some(declared) = archive.decompressed_size() {
        if declared as u64 > limits.unzipped_bytes {
            return Err(too_large(declared as u64, limits));
        }
    }
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| format!("not a readable workbook (corrupt zip archive: {e})"))?;
        let name = entry.name().to_string();
        let budget = limits.unzipped_bytes.saturating_sub(total);
        let ratio_cap = entry
            .compressed_size()
            .saturating_mul(MAX_RATIO)
            .max(RATIO_FLOOR_BYTES);
        let cap = budget.min(ratio_cap);
        let n = std::io::copy(&mut (&mut entry).take(cap + 1), &mut std::io::sink())
            .map_err(|e| format!("not a readable workbook ({name}: {e})"))?;
        if n > budget {
            return Err(too_large(total + n, limits));
        }
        if n > ratio_cap {
            return Err(format!(
                "the workbook's part '{name}' inflates more than {MAX_RATIO} times its stored size (a guard against zip bombs); save the workbook again from Excel, WPS or LibreOffice"
            ));
        }
        total += n;
    }
    Ok(())
}

fn too_large(bytes: u64, limits: &Limits) -> String {
    format!(
        "the workbook decompresses to more than {} bytes ({} MiB, the limit: a guard against zip bombs); at least {bytes} bytes",
        limits.unzipped_bytes,
        limits.unzipped_bytes / 1_048_576
    )
}
