//! Benchmarks (criterion): inventory of N facility-years in memory, workbook
//! read, Monte Carlo runs of the built-in study, roadmap with the least-cost
//! optimisation. Figures and commands are recorded in BENCHMARKS.md.

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

fn monte_carlo(c: &mut Criterion) {
    let (f, s) = libs();
    let study = coreduce::study::builtin::load("sichuan", &f, &s).unwrap();
    let base = inventories(&study.settings, &f, &s, &study.facility_years).unwrap();
    let mut g = c.benchmark_group("monte_carlo_builtin_study");
    g.sample_size(10).throughput(Throughput::Elements(200));
    g.bench_function("200_runs", |b| {
        b.iter(|| {
            coreduce::uncertainty::monte_carlo(
                &study.settings,
                &f,
                &s,
                &study.facility_years,
                &base,
                200,
                1,
                &|| {},
            )
            .unwrap()
        })
    });
    g.finish();
}

fn roadmap(c: &mut Criterion) {
    let (f, s) = libs();
    let study = coreduce::study::builtin::load("sichuan", &f, &s).unwrap();
    let lib = MeasureLibrary::embedded(&s).unwrap();
    let measures = all_measures(&study, &s, &lib).unwrap();
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
    inventory_in_memory,
    workbook_read,
    monte_carlo,
    roadmap
);
criterion_main!(benches);
