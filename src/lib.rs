//! # coreduce
//!
//! Carbon and pollution co-reduction accounting (减污降碳协同增效) for Sichuan's
//! four characteristic industries: strong-aroma baijiu, electrolytic aluminium,
//! flue-cured tobacco and ceramics.
//!
//! Modules depend one way, each on those listed before it:
//! [`suggest`] → [`text`] (every message in English and Chinese) →
//! [`units`] → [`substance`] → [`error`] → [`factors`] → [`graph`] →
//! [`study`] → the engine ([`accounting`] → [`measures`] → [`roadmap`] →
//! [`uncertainty`]) → the adapters ([`output`] for safe file writing,
//! [`workbook`], [`synthetic`] for benchmark provinces, [`export`],
//! [`report`]); `tests/architecture.rs` holds the layers.
//! The library never prints; the `coreduce` binary is thin glue over it.
//!
//! Build a facility-year's activity in code and get its inventory:
//!
//! ```
//! use coreduce::accounting::{inventory, FacilityYear, Settings};
//! use coreduce::graph::SectorLibrary;
//! use coreduce::FactorLibrary;
//! use rust_decimal_macros::dec;
//!
//! let factors = FactorLibrary::embedded()?;
//! let sectors = SectorLibrary::embedded(&factors)?;
//! // One tonne of leaf cured in a coal-fired bulk barn, Tier 1 defaults.
//! let barn = FacilityYear::new("TB-01", "tobacco", 2022)
//!     .technology("coal_bulk_barn")
//!     .with("output", dec!(1), "t")?;
//! let inv = inventory(&Settings::default(), &factors, &sectors, &barn)?;
//! // 1.75 t coal × 1.900 t CO2/t ≈ 3.33 t CO2 per t of cured leaf.
//! assert_eq!(inv.source_total("curing_combustion", "CO2").round_dp(2), dec!(3.33));
//! # Ok::<(), coreduce::Error>(())
//! ```

#![forbid(unsafe_code)]

pub mod accounting;
pub mod error;
pub mod export;
pub mod factors;
pub mod graph;
pub mod measures;
pub mod output;
pub mod report;
pub mod roadmap;
pub mod study;
pub mod substance;
pub mod suggest;
pub mod synthetic;
pub mod text;
pub mod uncertainty;
pub mod units;
pub mod workbook;

pub use error::{DataError, Error, Location, Result};
pub use factors::{Confidence, Factor, FactorLibrary};
pub use substance::Substance;
pub use text::{Lang, Text};
pub use units::{Quantity, Unit};
