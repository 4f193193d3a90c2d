//! Fertiliser N2O (IPCC Tier 1 direct and indirect: EF1, EF4, EF5), on a
//! nitrogen basis converted by 44/28. The emission factors are read on the
//! N basis whatever the tag of their unit says (`units::nitrogen_basis`): a
//! factor given in kg N2O per kg N is put on kg N2O-N first.

use super::*;

impl<'a> Work<'a> {
    pub(super) fn fertiliser(&mut self, settings: &Settings, src: &Source) -> crate::Result<()> {
        let Some((n, used)) = self.total_of("fertiliser.n")? else {
            return Ok(());
        };
        let ed = self.ctx.edition;
        let mut ids: Vec<String> = self
            .entries("fertiliser.n")
            .into_iter()
            .flat_map(|(_, e)| e.factor_ids)
            .collect();
        let mut get = |k: &str| -> crate::Result<Decimal> {
            let t = src.param(k, ed).ok_or_else(|| {
                let source = &src.id;
                Error::Data(DataError::new(
                    src.location.clone(),
                    tr!(
                        "source '{source}' needs parameter '{k}'",
                        "排放源“{source}”缺少参数“{k}”"
                    ),
                ))
            })?;
            let (v, unit, id) = self.factor(t)?;
            let bad = |m: Text| Error::Data(DataError::new(self.here(), factor_problem(&id, &m)));
            let v = unit
                .convert(v, &Unit::one())
                .map_err(|e| bad(Text::from(&e)))?;
            let basis = crate::units::nitrogen_basis(&unit).map_err(bad)?;
            let v = self.mul(format_args!("factor '{id}' on the N basis"), v, basis)?;
            ids.push(id);
            Ok(v)
        };
        let (ef1, gasf, ef4, leach, ef5) = (
            get("ef1")?,
            get("frac_gasf")?,
            get("ef4")?,
            get("frac_leach")?,
            get("ef5")?,
        );
        let what = "fertiliser N2O = N × (EF1 + FracGASF × EF4 + FracLEACH × EF5) × 44/28";
        let indirect = self.add(
            what,
            self.mul(what, gasf, ef4)?,
            self.mul(what, leach, ef5)?,
        )?;
        let n2o_n = self.mul(what, n, self.add(what, ef1, indirect)?)?;
        let n2o = self.ratio(what, n2o_n, N2O_PER_N)?;
        let tier = if used.origin == InputOrigin::Measured {
            2
        } else {
            1
        };
        self.push(
            settings,
            src,
            &src.node,
            Substance::N2o,
            n2o,
            tier,
            ids,
            vec![used],
        );
        Ok(())
    }
}
