//! Substances: greenhouse gases, air and water pollutants, with codes and
//! English and Chinese names. GWP values are data (the `gwp` factor dataset);
//! this module only knows which substances are GHGs and which are memo items.

use std::fmt;

/// What kind of substance, which decides the totals it enters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// A greenhouse gas that enters CO2e totals.
    Ghg,
    /// Reported but kept out of every total (biogenic CO2).
    Memo,
    /// An air pollutant.
    Air,
    /// A water pollutant.
    Water,
}

macro_rules! substances {
    ($( $var:ident => $code:literal, $en:literal, $zh:literal, $cat:ident, [$($alias:literal),*] );* $(;)?) => {
        /// A substance the engine accounts for.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Substance { $( #[doc = $en] $var ),* }

        impl Substance {
            /// Every substance, in reporting order.
            pub const ALL: &'static [Substance] = &[$(Substance::$var),*];
            /// The code used in files and outputs (`SO2`, `PM2.5`, `NH3-N`).
            pub fn code(self) -> &'static str { match self { $(Substance::$var => $code),* } }
            /// English name.
            pub fn name_en(self) -> &'static str { match self { $(Substance::$var => $en),* } }
            /// Chinese name.
            pub fn name_zh(self) -> &'static str { match self { $(Substance::$var => $zh),* } }
            /// Its category.
            pub fn category(self) -> Category { match self { $(Substance::$var => Category::$cat),* } }
            fn aliases(self) -> &'static [&'static str] { match self { $(Substance::$var => &[$($alias),*]),* } }
        }
    };
}

substances! {
    Co2 => "CO2", "carbon dioxide (fossil)", "二氧化碳", Ghg, ["co2_fossil"];
    Co2Bio => "CO2_bio", "carbon dioxide (biogenic, memo)", "生物质二氧化碳（备忘）", Memo, ["co2_biogenic", "co2 biogenic", "biogenic co2"];
    Ch4 => "CH4", "methane", "甲烷", Ghg, [];
    N2o => "N2O", "nitrous oxide", "氧化亚氮", Ghg, [];
    Cf4 => "CF4", "tetrafluoromethane", "四氟化碳", Ghg, [];
    C2f6 => "C2F6", "hexafluoroethane", "六氟乙烷", Ghg, [];
    Sf6 => "SF6", "sulfur hexafluoride", "六氟化硫", Ghg, [];
    So2 => "SO2", "sulfur dioxide", "二氧化硫", Air, [];
    Nox => "NOx", "nitrogen oxides", "氮氧化物", Air, [];
    Pm => "PM", "particulate matter", "颗粒物", Air, ["tsp", "dust", "烟尘", "粉尘"];
    Pm10 => "PM10", "PM10", "可吸入颗粒物", Air, [];
    Pm25 => "PM2.5", "PM2.5", "细颗粒物", Air, ["pm2_5", "pm25"];
    Vocs => "VOCs", "volatile organic compounds", "挥发性有机物", Air, ["voc"];
    Fluoride => "F", "fluoride", "氟化物", Air, ["fluoride", "hf"];
    Co => "CO", "carbon monoxide", "一氧化碳", Air, [];
    Nh3 => "NH3", "ammonia", "氨", Air, [];
    PitchFume => "PITCH", "pitch fume", "沥青烟", Air, ["pitch_fume", "pitch fume"];
    Bap => "BaP", "benzo[a]pyrene", "苯并[a]芘", Air, ["benzo(a)pyrene", "benzo[a]pyrene", "苯并芘"];
    Cod => "COD", "chemical oxygen demand", "化学需氧量", Water, [];
    Nh3n => "NH3-N", "ammonia nitrogen", "氨氮", Water, ["nh3n", "nh3_n"];
    Tn => "TN", "total nitrogen", "总氮", Water, [];
    Tp => "TP", "total phosphorus", "总磷", Water, [];
}

impl Substance {
    /// Parses a code, an alias or a Chinese name, ignoring case.
    pub fn parse(text: &str) -> Option<Substance> {
        let t = text.trim();
        let lower = t.to_lowercase();
        Substance::ALL.iter().copied().find(|s| {
            s.code().eq_ignore_ascii_case(t)
                || s.name_zh() == t
                || s.aliases().iter().any(|a| *a == lower)
        })
    }

    /// Every accepted code (for did-you-mean).
    pub fn codes() -> impl Iterator<Item = &'static str> {
        Substance::ALL.iter().map(|s| s.code())
    }

    /// True for a greenhouse gas entering CO2e totals (not the biogenic memo).
    pub fn is_ghg(self) -> bool {
        self.category() == Category::Ghg
    }
}

impl fmt::Display for Substance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl serde::Serialize for Substance {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_parse_back() {
        for &s in Substance::ALL {
            assert_eq!(Substance::parse(s.code()), Some(s));
            assert_eq!(Substance::parse(s.name_zh()), Some(s));
        }
        assert_eq!(Substance::parse("颗粒物"), Some(Substance::Pm));
        assert_eq!(Substance::parse("氟化物"), Some(Substance::Fluoride));
        assert_eq!(Substance::parse("nh3-n"), Some(Substance::Nh3n));
        assert_eq!(Substance::parse("沥青烟"), Some(Substance::PitchFume));
        assert_eq!(Substance::parse("XYZ"), None);
    }

    #[test]
    fn biogenic_co2_is_a_memo_not_a_ghg() {
        assert!(!Substance::Co2Bio.is_ghg());
        assert_eq!(Substance::Co2Bio.category(), Category::Memo);
        let ghgs: Vec<_> = Substance::ALL.iter().filter(|s| s.is_ghg()).collect();
        assert_eq!(ghgs.len(), 6);
    }
}
