//! Results checked against the emission standard where a concentration can
//! be formed: a node with a stack flow (`stack.flow`) and a limit named by
//! the sector's default controls (GB 13271 boilers, GB 25464 ceramics, …).
//! The concentration is the node's computed mass over the flue-gas volume,
//! corrected to the reference O2 where `stack.o2` and `stack.o2_ref` are
//! given; a figure above the limit is a warning, since either the inputs or
//! the plant need a second look.

use super::*;

impl Work<'_> {
    pub(super) fn check_limits(&mut self) -> crate::Result<()> {
        let flows: BTreeMap<String, Decimal> = self
            .entries("stack.flow")
            .into_iter()
            .map(|(node, e)| (node, e.value))
            .collect();
        if flows.is_empty() {
            return Ok(());
        }
        let mut found = Vec::new();
        for c in self
            .sector
            .default_controls
            .iter()
            .filter(|c| crate::graph::Sector::applies_to(&c.technology, self.ctx.technology))
        {
            let Some(limit_id) = &c.limit else { continue };
            let Some(flow) = flows.get(&c.node).filter(|f| !f.is_zero()) else {
                continue;
            };
            let mass: Decimal = self
                .rows
                .iter()
                .filter(|r| r.node == c.node && r.substance == c.substance.code())
                .map(|r| r.amount)
                .sum();
            let (limit, id) = self.factor_in(limit_id, "mg/m3")?;
            // t / Nm3 → mg/m3: × 10^9.
            let mut conc = self.div(
                format_args!("{} concentration at {}", c.substance.code(), c.node),
                self.mul("concentration", mass, dec!(1000000000))?,
                *flow,
            )?;
            let mut basis = tr!(
                "at the measured O2 (give stack.o2 and stack.o2_ref to correct it)",
                "按实测含氧量（填写 stack.o2 和 stack.o2_ref 可折算）"
            );
            if let (Some((o2, _)), Some((o2_ref, _))) = (
                self.prop("stack.o2", &c.node),
                self.prop("stack.o2_ref", &c.node),
            ) {
                if o2 < dec!(0.21) {
                    conc = self.mul(
                        "concentration at the reference O2",
                        conc,
                        self.div("O2 correction", dec!(0.21) - o2_ref, dec!(0.21) - o2)?,
                    )?;
                    basis = tr!("at the reference O2", "按基准含氧量折算");
                }
            }
            if conc > limit {
                let (code, node) = (c.substance.code(), &c.node);
                let (conc, limit) = (conc.round_dp(1).normalize(), limit.normalize());
                let (basis_en, basis_zh) = (&basis.en, basis.get(Lang::Zh));
                found.push(Text::new(
                    format!("{code} at {node}: {conc} mg/m3 {basis_en}, above the limit {limit} mg/m3 ({id}): check the control efficiency and the stack flow, or the plant does not meet its emission standard"),
                    format!("{node} 的 {code}：{conc} mg/m3（{basis_zh}），超过限值 {limit} mg/m3（{id}）：请核对治理效率和烟气量，否则该厂未达到排放标准"),
                ));
            }
        }
        for f in found {
            self.warnings.push(Warning::new(self.here(), f));
        }
        Ok(())
    }
}
