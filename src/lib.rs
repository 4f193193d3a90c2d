//! # coreduce
//!
//! Carbon and pollution co-reduction accounting (减污降碳协同增效) for Sichuan's
//! four characteristic industries: strong-aroma baijiu, electrolytic aluminium,
//! flue-cured tobacco and ceramics.
//!
//! Modules depend one way, each on those listed before it:
//! [`error`] → [`units`] → [`substance`] → [`factors`].
//! The library never prints; the `coreduce` binary is thin glue over it.


pub mod accounting;
pub mod error;
pub mod factors;
pub mod substance;
pub mod graph;
pub mod units;

pub use error::{DataError, Error, Location, Result};
pub use factors::{Confidence, Factor, FactorLibrary};
pub use substance::Substance;
pub use units::{Quantity, Unit};
