//! The integration tests, compiled as one binary: one link of the crate instead
//! of one per file keeps a clean build small enough for the CI disk (6.2 GB of
//! test binaries as separate files) and quicker to link. Each file below is a
//! module and runs alone with `cargo test --test suite <file>::`.

#[macro_use]
mod common;

mod activity_file;
mod architecture;
mod builtin_study;
mod cli;
mod compare;
mod compiled_plan;
mod data;
mod default_controls;
mod economics;
mod engine;
mod export_names;
mod facilities_without_activity;
mod fgd_sorbent;
mod fixtures;
mod fuzz;
mod golden;
mod hardening;
mod ipcc_anode;
mod item_names;
mod kiln_nox;
mod marks;
mod measures;
mod messages;
mod nitrogen_basis;
mod one_view;
mod overflow;
mod people;
mod pollution_equivalents;
mod process_pollutants;
mod properties;
mod provenance;
mod report;
mod roadmap;
mod roadmap_odds;
mod scope2;
mod serve;
mod streamed_sheet;
mod tier1;
mod uncertainty;
mod validate_json;
mod warnings;
mod workbook;
mod written;
mod written_run;
mod zh_path;
mod zipbomb;
