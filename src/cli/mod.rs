//! The binary's commands, one file per command family. Each parses nothing
//! (clap did), calls the library and prints; errors go back to `main`.

use super::*;

mod compare;
mod factors;
mod inventory;
mod lang;
mod measures;
mod roadmap;
mod table;
mod uncertainty;
mod validate_json;

pub(crate) use compare::*;
pub(crate) use factors::*;
pub(crate) use inventory::*;
pub(crate) use lang::*;
pub(crate) use measures::*;
pub(crate) use roadmap::*;
pub(crate) use table::{left, right};
pub(crate) use uncertainty::*;
pub(crate) use validate_json::*;
