//! Benchmarks (criterion): what users run — a workbook to each output format
//! (CSV, JSON, xlsx), the way `coreduce inventory --out` does it — plus the
//! inventory in memory, Monte Carlo runs of the built-in study and the roadmap
//! with the least-cost optimisation. Figures and commands are in BENCHMARKS.md;
//! the side-by-side comparison with the pandas peer is a whole-process
//! hyperfine run described there.
//!
//! `COREDUCE_BENCH_WORKBOOK=path.xlsx` benchmarks that workbook (e.g. the
//! province from `../shared/bench/make_province.py`) instead of the built-in
//! synthetic one.

use coreduce::accounting::{inventories, Settings};
use coreduce::graph::SectorLibrary;
use coreduce::measures::{all_measures, MeasureLibrary, MetricSettings};
use coreduce::FactorLibrary;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::time::Duration;

fn libs() -> (FactorLibrary, SectorLibrary) {
    let f = FactorLibrary::embedded().unwrap();
    let s = SectorLibrary::embedded(&f).unwrap();
    (f, s)
}

fn inventory_in_memory(c: &mut Criterion) {
    let (f, s) = libs();
    let st = Settings::default();
    let mut g = c.benchmark_group("inventory_in_memory");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    for n in [1_000usize, 10_000] {
        let fys = coreduce::synthetic::province(n, 1, 1);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &fys, |b, fys| {
            b.iter(|| inventories(&st, &f, &s, fys).unwrap())
        });
    }
    g.finish();
}

fn workbook_read(c: &mut Criterion) {
    let (f, s) = libs();
    let dir = tempfile::tempdir().unwrap();
    let mut g = c.benchmark_group("workbook_inventory_end_to_end");
    g.sample_size(10).measurement_time(Duration::from_secs(15));
    for n in [1_000usize, 10_000] {
        let fys = coreduce::synthetic::province(n, 1, 2);
        let path = dir.path().join(format!("p{n}.xlsx"));
        coreduce::synthetic::write_workbook(&path, &fys).unwrap();
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &path, |b, path| {
            b.iter(|| coreduce::workbook::run_workbook(path, &f, &s).unwrap())
        });
    }
    g.finish();
}

/// Workbook → file, per output format: read, compute in batches, stream the
/// rows out, finish the file (what `coreduce inventory --out` does, less the
/// report).
fn workbook_to_format(c: &mut Criterion) {
    let (f, s) = libs();
    let dir = tempfile::tempdir().unwrap();
    let (path, n) = match std::env::var_os("COREDUCE_BENCH_WORKBOOK") {
        Some(p) => (std::path::PathBuf::from(p), 0),
        None => {
            let n = 10_000;
            let fys = coreduce::synthetic::province(n, 1, 2);
            let path = dir.path().join("p10k.xlsx");
            coreduce::synthetic::write_workbook(&path, &fys).unwrap();
            (path, n)
        }
    };
    let mut g = c.benchmark_group("workbook_to_format");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    if n > 0 {
        g.throughput(Throughput::Elements(n as u64));
    }
    for ext in ["csv", "json", "xlsx"] {
        let out = dir.path().join(format!("results.{ext}"));
        g.bench_with_input(BenchmarkId::from_parameter(ext), &out, |b, out| {
            b.iter(|| {
                let mut study = coreduce::workbook::read(&path, &f, &s).unwrap();
                let lib = study.factors(&f).unwrap();
                coreduce::export::write_inventory_run(
                    out,
                    &[path.as_path()],
                    &study.settings,
                    &lib,
                    &s,
                    &mut study.facility_years,
                    coreduce::Lang::En,
                )
                .unwrap()
            })
        });
    }
    g.finish();
}

fn monte_carlo(c: &mut Criterion) {
    let (f, s) = libs();
    let study = coreduce::study::builtin::load("sichuan", &f, &s).unwrap();
    let base = inventories(&study.settings, &f, &s, &study.facility_years).unwrap();
    let mut g = c.benchmark_group("monte_carlo_builtin_study");
    g.sample_size(10);
    // Three run counts: the differences are the per-run rate, apart from the
    // fixed one-at-a-time pass (Approach 1, the tornado and the compiled
    // plans); 10,000 runs is the target's (under 2 s).
    for runs in [200usize, 2000, 10_000] {
        g.throughput(Throughput::Elements(runs as u64));
        g.bench_with_input(BenchmarkId::new("runs", runs), &runs, |b, &runs| {
            b.iter(|| {
                coreduce::uncertainty::monte_carlo(
                    &study.settings,
                    &f,
                    &s,
                    &study.facility_years,
                    &base,
                    runs,
                    1,
                    &|| {},
                )
                .unwrap()
            })
        });
    }
    g.finish();
}

fn roadmap(c: &mut Criterion) {
    let (f, s) = libs();
    let study = coreduce::study::builtin::load("sichuan", &f, &s).unwrap();
    let lib = MeasureLibrary::embedded(&s).unwrap();
    let measures = all_measures(&study, &s, &lib, &f).unwrap();
    let ms = MetricSettings::defaults(&f);
    let mut g = c.benchmark_group("roadmap_builtin_study");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("four_scenarios_with_least_cost", |b| {
        b.iter(|| coreduce::roadmap::run(&study, &f, &s, &measures, &ms).unwrap())
    });
    g.finish();
}

criterion_group!(
    benches,
    workbook_to_format,
    inventory_in_memory,
    workbook_read,
    monte_carlo,
    roadmap
);
criterion_main!(benches);
