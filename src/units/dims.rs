//! Dimensions: the base dimensions (mass, energy, volume, …) and a unit's
//! exponents of them, named in English and Chinese.

use std::fmt;

/// The base dimensions. Each has a base unit in which a unit's scale is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BaseDim {
    /// tonne
    Mass = 0,
    /// gigajoule
    Energy = 1,
    /// cubic metre (normal cubic metres for gases)
    Volume = 2,
    /// square metre
    Area = 3,
    /// yuan (CNY)
    Money = 4,
    /// a count of items (cells, barns, facilities)
    Count = 5,
    /// pollution equivalent (污染当量) of the Environmental Protection Tax Law
    Equivalent = 6,
    /// anode-effect minutes per cell-day (AEM)
    AnodeEffect = 7,
    /// anode-effect overvoltage in mV-day (IPCC overvoltage method)
    Overvoltage = 8,
    /// time (base: the year)
    Time = 9,
}

const NDIMS: usize = 10;
const DIM_NAMES: [&str; NDIMS] = [
    "mass",
    "energy",
    "volume",
    "area",
    "money",
    "count",
    "pollution equivalent",
    "anode-effect minutes",
    "overvoltage",
    "time",
];

/// The base dimensions in Chinese, in the order of [`DIM_NAMES`].
const DIM_NAMES_ZH: [&str; NDIMS] = [
    "质量",
    "能量",
    "体积",
    "面积",
    "货币",
    "数量",
    "污染当量",
    "阳极效应分钟",
    "过电压",
    "时间",
];

/// Exponents of the base dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Dims(pub(super) [i8; NDIMS]);

impl Dims {
    /// Dimensionless (fractions, ratios of like quantities).
    pub const NONE: Dims = Dims([0; NDIMS]);

    /// A single base dimension.
    pub const fn base(d: BaseDim) -> Dims {
        let mut e = [0; NDIMS];
        e[d as usize] = 1;
        Dims(e)
    }
    pub(super) fn mul(self, o: Dims) -> Dims {
        let mut e = self.0;
        for (a, b) in e.iter_mut().zip(o.0) {
            *a += b;
        }
        Dims(e)
    }
    pub(super) fn div(self, o: Dims) -> Dims {
        let mut e = self.0;
        for (a, b) in e.iter_mut().zip(o.0) {
            *a -= b;
        }
        Dims(e)
    }
    /// True for a dimensionless unit.
    pub fn is_none(self) -> bool {
        self == Dims::NONE
    }
}

impl Dims {
    /// The dimensions in Chinese (`质量`, `能量每质量`), as Display gives them in
    /// English.
    pub fn zh(&self) -> String {
        self.written(&DIM_NAMES_ZH, "无量纲", "每")
    }

    /// The exponents in words: `mass·energy^2 per volume` with the English
    /// names and " per ", or the Chinese ones and "每".
    fn written(&self, names: &[&str; NDIMS], none: &str, per: &str) -> String {
        if self.is_none() {
            return none.to_string();
        }
        let mut num = Vec::new();
        let mut den = Vec::new();
        for (i, &e) in self.0.iter().enumerate() {
            let name = names[i];
            let part = if e.abs() == 1 {
                name.to_string()
            } else {
                format!("{name}^{}", e.abs())
            };
            if e > 0 {
                num.push(part);
            } else if e < 0 {
                den.push(part);
            }
        }
        let n = if num.is_empty() {
            "1".to_string()
        } else {
            num.join("·")
        };
        if den.is_empty() {
            n
        } else {
            format!("{n}{per}{}", den.join("·"))
        }
    }
}

impl fmt::Display for Dims {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written(&DIM_NAMES, "dimensionless", " per "))
    }
}
