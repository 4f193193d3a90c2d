//! Zip-bomb guard for xlsx/ods archives, before calamine inflates anything:
//! every entry is inflated once into a counter (declared sizes can lie), so
//! the whole archive is bounded in decompressed bytes and each large entry in
//! its compression ratio, in constant memory.

use super::Limits;
use crate::text::Text;
use crate::tr;
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
pub(super) fn check_zip(path: &Path, limits: &Limits) -> Result<(), Text> {
    let file = std::fs::File::open(path).map_err(|e| Text::from(e.to_string()))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| {
        tr!(
            "not a readable workbook (corrupt zip archive: {e})",
            "不是可读取的工作簿（zip 压缩包已损坏：{e}）"
        )
    })?;
    // The declared total first: a cheap refusal of an honest bomb.
    if let Some(declared) = archive.decompressed_size() {
        if declared as u64 > limits.unzipped_bytes {
            return Err(too_large(declared as u64, limits));
        }
    }
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| {
            tr!(
                "not a readable workbook (corrupt zip archive: {e})",
                "不是可读取的工作簿（zip 压缩包已损坏：{e}）"
            )
        })?;
        let name = entry.name().to_string();
        let budget = limits.unzipped_bytes.saturating_sub(total);
        let ratio_cap = entry
            .compressed_size()
            .saturating_mul(MAX_RATIO)
            .max(RATIO_FLOOR_BYTES);
        let cap = budget.min(ratio_cap);
        let n =
            std::io::copy(&mut (&mut entry).take(cap + 1), &mut std::io::sink()).map_err(|e| {
                tr!(
                    "not a readable workbook ({name}: {e})",
                    "不是可读取的工作簿（{name}：{e}）"
                )
            })?;
        if n > budget {
            return Err(too_large(total + n, limits));
        }
        if n > ratio_cap {
            return Err(tr!(
                "the workbook's part '{name}' inflates more than {MAX_RATIO} times its stored size (a guard against zip bombs); save the workbook again from Excel, WPS or LibreOffice",
                "工作簿的组成部分“{name}”解压后超过其存储大小的 {MAX_RATIO} 倍（防范 zip 炸弹）；请用 Excel、WPS 或 LibreOffice 重新保存该工作簿"
            ));
        }
        total += n;
    }
    Ok(())
}

fn too_large(bytes: u64, limits: &Limits) -> Text {
    let limit = limits.unzipped_bytes;
    let mib = limit / 1_048_576;
    tr!(
        "the workbook decompresses to more than {limit} bytes ({mib} MiB, the limit: a guard against zip bombs); at least {bytes} bytes",
        "工作簿解压后超过 {limit} 字节（{mib} MiB，为防范 zip 炸弹所设的上限）；解压后至少 {bytes} 字节"
    )
}
