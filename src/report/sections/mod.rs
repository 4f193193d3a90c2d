//! The report's sections, one function each, in the order of the page.
//! Each opens its section with its heading and closes it.

mod appendix;
mod measures;
mod summary;
mod targets;
mod trajectories;
mod uncertainty;

pub(super) use appendix::{factors, graphs, warnings};
pub(super) use measures::{coordinates, elasticity, macc};
pub(super) use summary::{inventory, summary};
pub(super) use targets::targets;
pub(super) use trajectories::trajectories;
pub(super) use uncertainty::uncertainty;
