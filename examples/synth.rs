//! Writes a synthetic province workbook for the end-to-end benchmarks:
//! `cargo run --release --example synth -- FACILITY_YEARS OUT.xlsx`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|x| x.parse().ok()).unwrap_or(10_000);
    let out = args
        .get(2)
        .cloned()
        .unwrap_or_else(|| "synthetic.xlsx".into());
    let fys = coreduce::synthetic::province(n, 1, 3);
    let rows: usize = fys.iter().map(|f| f.activity.len()).sum();
    if let Err(e) = coreduce::synthetic::write_workbook(std::path::Path::new(&out), &fys) {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
    println!("wrote {out}: {n} facility-years, {rows} activity rows");
}
