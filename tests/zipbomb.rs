//! A zip bomb is refused before calamine inflates it, in constant memory:
//! every part is inflated into a counter, bounded in total bytes and, for
//! large parts, in compression ratio.

use coreduce::graph::SectorLibrary;
use coreduce::workbook::{read_with_limits, Limits, WorkbookError};
use coreduce::FactorLibrary;
use std::io::Write;
use std::path::Path;

/// A real workbook's parts, with one worksheet replaced by `zeros` bytes of
/// padding (what a bomb is made of: it deflates about 1000 to 1).
fn bomb(path: &Path, zeros: usize) {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sichuan-sample.xlsx");
    let mut src = zip::ZipArchive::new(std::fs::File::open(sample).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..src.len() {
        let mut e = src.by_index(i).unwrap();
        let name = e.name().to_string();
        out.start_file(name.as_str(), opts).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let chunk = vec![b' '; 1 << 20];
            let mut left = zeros;
            while left > 0 {
                let n = left.min(chunk.len());
                out.write_all(&chunk[..n]).unwrap();
                left -= n;
            }
        } else {
            std::io::copy(&mut e, &mut out).unwrap();
        }
    }
    out.finish().unwrap();
}

fn read(path: &Path, limits: &Limits) -> String {
    let f = FactorLibrary::embedded().unwrap();
    let s = SectorLibrary::embedded(&f).unwrap();
    match read_with_limits(path, &f, &s, limits) {
        Err(e @ WorkbookError::Unreadable { .. }) => e.to_string(),
        other => panic!(
            "expected a refusal, got {:?}",
            other.map(|s| s.facility_years.len())
        ),
    }
}

#[test]
fn a_part_that_inflates_a_thousandfold_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.xlsx");
    bomb(&path, 64 << 20); // 64 MiB of padding in a file of well under 1 MB
    assert!(std::fs::metadata(&path).unwrap().len() < 1 << 20);
    let msg = read(&path, &Limits::default());
    let msg = msg.replace(&path.display().to_string(), "bomb.xlsx");
    insta::assert_snapshot!(msg);
}

#[test]
fn the_total_is_bounded_while_inflating() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.xlsx");
    bomb(&path, 8 << 20); // 8 MiB: under the ratio floor, over a 4 MiB total
    let limits = Limits {
        unzipped_bytes: 4 << 20,
        ..Limits::default()
    };
    let msg = read(&path, &limits);
    assert!(
        msg.contains("decompresses to more than 4194304 bytes"),
        "{msg}"
    );
}

#[test]
fn ordinary_workbooks_pass() {
    let f = FactorLibrary::embedded().unwrap();
    let s = SectorLibrary::embedded(&f).unwrap();
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/province-400-codes.xlsx");
    assert!(read_with_limits(&p, &f, &s, &Limits::default()).is_ok());
}
