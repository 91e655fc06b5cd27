//! Shift and break covering as an integer programme: which shifts, with
//! their breaks where, put at least the required agents on the floor in
//! every slot of the day at least cost. Pure: no scenario, no simulation,
//! so the model is tested on textbook instances.
//!
//! # The model (implicit break placement)
//!
//! `x[p]` agents work shift pattern `p` (a start and a length); for each
//! of its breaks `b`, `w[p][b][o]` of them take it at offset `o` of the
//! break's window. In every slot `t`:
//!
//! ```text
//! Σ_p x[p]·[t in p]  −  Σ_{p,b,o} w[p][b][o]·[t in break b at o]  ≥  r[t]
//! Σ_o w[p][b][o] = x[p]                      every pattern and break
//! Σ_p x[p] ≤ max_shifts,  Σ_p x[p] ≥ min_shifts
//! Σ_{p part-time} x[p] ≤ share · Σ_p x[p]
//! minimise Σ_p cost[p]·x[p],   x, w integer ≥ 0
//! ```
//!
//! Breaks are placed per shift pattern, not per agent, which keeps the
//! model small (the break windows do not multiply the shifts). On a
//! cyclic day (a 24/7 centre) a shift may run past the end of the day
//! into its start.
//!
//! # Solving
//!
//! The linear relaxation gives the lower bound every reported gap is
//! measured against. Rounding it up, placing breaks greedily where the
//! floor has most to spare, adding shifts where a slot is short and
//! dropping those the floor can spare gives a first roster; the integer
//! programme then starts from it (a warm start) and searches until its
//! gap to the bound is below `mip_gap` or `time_limit` runs out. The
//! default backend is microlp (pure Rust); the `highs` cargo feature
//! solves the same model with HiGHS.

use good_lp::{
    constraint, variable, variables, Expression, ProblemVariables, Solution, SolverModel, Variable,
    WithInitialSolution, WithMipGap, WithTimeLimit,
};

/// A break of a shift pattern: its length and the offsets (slots after
/// the shift's start) it may start at.
#[derive(Clone, Debug, PartialEq)]
pub struct BreakWindow {
    /// Slots it lasts.
    pub length: usize,
    /// Where it may start, in slots after the shift's start, ascending.
    pub offsets: Vec<usize>,
}

/// Agents per break offset: `[pattern][break][offset]`.
type Breaks = Vec<Vec<Vec<u32>>>;

/// A shift pattern: a start, a length and its breaks.
#[derive(Clone, Debug, PartialEq)]
pub struct Pattern {
    /// First slot.
    pub start: usize,
    /// Slots it lasts.
    pub length: usize,
    /// What one agent on it costs.
    pub cost: f64,
    /// Counts toward the part-time share.
    pub part_time: bool,
    /// Its breaks, in the order they are taken.
    pub breaks: Vec<BreakWindow>,
}

/// One covering problem: a day of slots, what each needs, the patterns.
#[derive(Clone, Debug, PartialEq)]
pub struct Covering {
    /// Slots in the day.
    pub slots: usize,
    /// Whether the day wraps: a shift may run past its last slot into its
    /// first.
    pub cyclic: bool,
    /// Agents required on the floor in each slot.
    pub requirement: Vec<u32>,
    /// The shift patterns.
    pub patterns: Vec<Pattern>,
    /// Fewest shifts (a roster file names every group it covers, so a
    /// group gets at least one).
    pub min_shifts: u32,
    /// Most shifts; `None` = no limit.
    pub max_shifts: Option<u32>,
    /// Largest share of part-time shifts; `None` = no limit.
    pub max_part_time_share: Option<f64>,
}

/// How long and how closely to solve.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct SolveLimits {
    /// Stop once the gap to the bound is below this (0.01 = 1%).
    pub mip_gap: f64,
    /// Stop after this many seconds with the best roster found.
    pub time_limit_s: f64,
}

/// A covering solved.
#[derive(Clone, Debug, PartialEq)]
pub struct Cover {
    /// Agents on each pattern.
    pub shifts: Vec<u32>,
    /// `breaks[p][b][k]`: agents of pattern `p` taking break `b` at its
    /// `k`-th offset.
    pub breaks: Vec<Vec<Vec<u32>>>,
    /// Its cost.
    pub cost: f64,
    /// The linear relaxation's cost: no roster costs less.
    pub lp_bound: f64,
    /// Whether the solver proved it optimal (within floating point).
    pub proven_optimal: bool,
}

impl Cover {
    /// How far above the bound the cost is, relative to the bound.
    pub fn gap(&self) -> f64 {
        if self.lp_bound > 0.0 {
            (self.cost - self.lp_bound).max(0.0) / self.lp_bound
        } else {
            0.0
        }
    }

    /// Agents on the floor in each slot.
    pub fn coverage(&self, c: &Covering) -> Vec<u32> {
        coverage(c, &self.shifts, &self.breaks)
    }
}

/// Why a covering has no solution.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CoveringError {
    /// Some slot needs agents but no pattern works in it.
    #[error("slot {slot} needs {need} agents but no shift covers it")]
    Uncovered {
        /// The slot, from 0.
        slot: usize,
        /// Agents it needs.
        need: u32,
    },
    /// The limits (most shifts, part-time share) leave no roster.
    #[error("no roster within the limits (most shifts, part-time share) covers the requirement")]
    Infeasible,
    /// The solver failed for another reason.
    #[error("the solver failed: {0}")]
    Solver(String),
}

/// Whether pattern `p` works in slot `t` (at offset `t − start`).
fn offset_in(c: &Covering, p: &Pattern, t: usize) -> Option<usize> {
    let d = if c.cyclic {
        (t + c.slots - p.start % c.slots) % c.slots
    } else if t >= p.start {
        t - p.start
    } else {
        return None;
    };
    (d < p.length).then_some(d)
}

/// The slot `offset` slots after a pattern's start.
fn slot_at(c: &Covering, p: &Pattern, offset: usize) -> usize {
    if c.cyclic {
        (p.start + offset) % c.slots
    } else {
        p.start + offset
    }
}

/// Agents on the floor per slot for given shifts and breaks.
pub fn coverage(c: &Covering, shifts: &[u32], breaks: &[Vec<Vec<u32>>]) -> Vec<u32> {
    let mut cov = vec![0i64; c.slots];
    for (p, pattern) in c.patterns.iter().enumerate() {
        for d in 0..pattern.length {
            let t = slot_at(c, pattern, d);
            if t < c.slots {
                cov[t] += i64::from(shifts[p]);
            }
        }
        for (b, w) in pattern.breaks.iter().enumerate() {
            for (k, &o) in w.offsets.iter().enumerate() {
                let n = breaks.get(p).and_then(|x| x.get(b)).and_then(|x| x.get(k));
                let n = i64::from(n.copied().unwrap_or(0));
                for d in o..o + w.length {
                    let t = slot_at(c, pattern, d);
                    if t < c.slots {
                        cov[t] -= n;
                    }
                }
            }
        }
    }
    cov.into_iter().map(|v| v.max(0) as u32).collect()
}

/// The model's variables: agents per pattern and per break offset.
struct Model {
    x: Vec<Variable>,
    w: Vec<Vec<Vec<Variable>>>,
}

impl Model {
    /// Every variable, patterns first, then breaks in pattern order.
    fn all(&self) -> Vec<Variable> {
        let mut v = self.x.clone();
        for bs in &self.w {
            for ks in bs {
                v.extend(ks);
            }
        }
        v
    }
}

/// The variables of `c`, integer or relaxed.
fn model(c: &Covering, integer: bool) -> (ProblemVariables, Model) {
    let mut vars = variables!();
    let var = |vars: &mut ProblemVariables| {
        if integer {
            vars.add(variable().integer().min(0))
        } else {
            vars.add(variable().min(0))
        }
    };
    let x: Vec<Variable> = c.patterns.iter().map(|_| var(&mut vars)).collect();
    let w = c
        .patterns
        .iter()
        .map(|p| {
            p.breaks
                .iter()
                .map(|b| b.offsets.iter().map(|_| var(&mut vars)).collect())
                .collect()
        })
        .collect();
    (vars, Model { x, w })
}

/// Adds the constraints of `c` to a model over `m`'s variables.
fn constrained<M: SolverModel>(mut s: M, c: &Covering, m: &Model) -> M {
    let mut cover: Vec<Expression> = vec![Expression::from(0.0); c.slots];
    for (p, pattern) in c.patterns.iter().enumerate() {
        for d in 0..pattern.length {
            let t = slot_at(c, pattern, d);
            if t < c.slots {
                cover[t] += m.x[p];
            }
        }
        for (b, w) in pattern.breaks.iter().enumerate() {
            let mut sum = Expression::from(0.0);
            for (k, &o) in w.offsets.iter().enumerate() {
                let v = m.w[p][b][k];
                sum += v;
                for d in o..o + w.length {
                    let t = slot_at(c, pattern, d);
                    if t < c.slots {
                        cover[t] -= v;
                    }
                }
            }
            s = s.with(constraint!(sum == m.x[p]));
        }
    }
    for (t, e) in cover.into_iter().enumerate() {
        let need = f64::from(c.requirement[t]);
        if need > 0.0 {
            s = s.with(constraint!(e >= need));
        }
    }
    let total: Expression = m.x.iter().copied().sum();
    if let Some(max) = c.max_shifts {
        s = s.with(constraint!(total.clone() <= f64::from(max)));
    }
    if c.min_shifts > 0 {
        s = s.with(constraint!(total.clone() >= f64::from(c.min_shifts)));
    }
    if let Some(share) = c.max_part_time_share {
        let part: Expression = c
            .patterns
            .iter()
            .zip(&m.x)
            .filter(|(p, _)| p.part_time)
            .map(|(_, &v)| v)
            .sum();
        s = s.with(constraint!(part <= share * total));
    }
    s
}

fn objective(c: &Covering, m: &Model) -> Expression {
    c.patterns.iter().zip(&m.x).map(|(p, &v)| p.cost * v).sum()
}

/// Solves the covering: the relaxation's bound, a rounded first roster,
/// then the integer programme from it.
pub fn solve(c: &Covering, limits: SolveLimits) -> Result<Cover, CoveringError> {
    for t in 0..c.slots {
        if c.requirement[t] > 0 && !c.patterns.iter().any(|p| offset_in(c, p, t).is_some()) {
            return Err(CoveringError::Uncovered {
                slot: t,
                need: c.requirement[t],
            });
        }
    }
    // The relaxation.
    let (vars, relaxed) = model(c, false);
    let obj = objective(c, &relaxed);
    let problem = constrained(
        vars.minimise(obj.clone()).using(good_lp::microlp),
        c,
        &relaxed,
    );
    let lp = match problem.solve() {
        Ok(s) => s,
        Err(good_lp::ResolutionError::Infeasible) => return Err(CoveringError::Infeasible),
        Err(e) => return Err(CoveringError::Solver(e.to_string())),
    };
    let lp_bound = lp.eval(&obj);
    let lp_x: Vec<f64> = relaxed.x.iter().map(|&v| lp.value(v)).collect();
    let first = rounded(c, &lp_x);
    // The integer programme, from the rounded roster when there is one.
    let (vars, m) = model(c, true);
    let obj = objective(c, &m);
    let start: Vec<(Variable, f64)> = first
        .as_ref()
        .map(|(x, w)| {
            let values = x
                .iter()
                .chain(w.iter().flatten().flatten())
                .map(|&n| f64::from(n));
            m.all().into_iter().zip(values).collect()
        })
        .unwrap_or_default();
    let from_solver = integer_solve(c, vars, &m, obj, start, limits).map(|(values, optimal)| {
        let mut it = values.into_iter().map(|v| v.round().max(0.0) as u32);
        let x: Vec<u32> = m.x.iter().map(|_| it.next().unwrap_or(0)).collect();
        let w: Vec<Vec<Vec<u32>>> =
            m.w.iter()
                .map(|bs| {
                    bs.iter()
                        .map(|ks| ks.iter().map(|_| it.next().unwrap_or(0)).collect())
                        .collect()
                })
                .collect();
        (x, w, optimal)
    });
    let cost_of = |x: &[u32]| -> f64 {
        c.patterns
            .iter()
            .zip(x)
            .map(|(p, &n)| p.cost * f64::from(n))
            .sum()
    };
    // Keep the solver's roster when it is feasible (rounding checked)
    // and no dearer than the first one.
    let mut best: Option<(Vec<u32>, Breaks, bool)> = None;
    if let Ok((x, w, optimal)) = from_solver {
        if feasible(c, &x, &w) {
            best = Some((x, w, optimal));
        }
    }
    if let Some((x, w)) = first {
        if best
            .as_ref()
            .is_none_or(|(bx, _, _)| cost_of(&x) < cost_of(bx) - 1e-9)
        {
            best = Some((x, w, false));
        }
    }
    let Some((shifts, breaks, optimal)) = best else {
        return Err(CoveringError::Infeasible);
    };
    let cost = cost_of(&shifts);
    Ok(Cover {
        proven_optimal: optimal || (cost - lp_bound).abs() <= 1e-6 * lp_bound.max(1.0),
        shifts,
        breaks,
        cost,
        lp_bound,
    })
}

/// The integer programme on the configured backend: every variable's
/// value (in [`Model::all`] order) and whether it is proven optimal.
fn integer_solve(
    c: &Covering,
    vars: ProblemVariables,
    m: &Model,
    obj: Expression,
    start: Vec<(Variable, f64)>,
    limits: SolveLimits,
) -> Result<(Vec<f64>, bool), CoveringError> {
    #[cfg(feature = "highs")]
    let problem = vars.minimise(obj).using(good_lp::highs);
    #[cfg(not(feature = "highs"))]
    let problem = vars.minimise(obj).using(good_lp::microlp);
    finish(constrained(problem, c, m), &m.all(), start, limits)
}

/// The backend that solves the integer programme, as reports name it.
pub fn backend() -> &'static str {
    if cfg!(feature = "highs") {
        "HiGHS"
    } else {
        "microlp"
    }
}

/// Sets the limits and the warm start, solves, and reads `read`'s values
/// and whether the result is proven optimal.
fn finish<M>(
    problem: M,
    read: &[Variable],
    start: Vec<(Variable, f64)>,
    limits: SolveLimits,
) -> Result<(Vec<f64>, bool), CoveringError>
where
    M: SolverModel + WithTimeLimit + WithMipGap + WithInitialSolution,
    M::Error: std::fmt::Display,
{
    let mut problem = problem
        .with_mip_gap(limits.mip_gap as f32)
        .map_err(|e| CoveringError::Solver(format!("{e:?}")))?
        .with_time_limit(limits.time_limit_s);
    if !start.is_empty() {
        problem = problem.with_initial_solution(start);
    }
    let solution = problem
        .solve()
        .map_err(|e| CoveringError::Solver(e.to_string()))?;
    let optimal = matches!(solution.status(), good_lp::SolutionStatus::Optimal);
    Ok((read.iter().map(|&v| solution.value(v)).collect(), optimal))
}

/// Whether shifts stay within the most shifts and the part-time share.
fn within_limits(c: &Covering, x: &[u32]) -> bool {
    let total: u32 = x.iter().sum();
    let part: u32 = c
        .patterns
        .iter()
        .zip(x)
        .filter(|(p, _)| p.part_time)
        .map(|(_, &n)| n)
        .sum();
    c.max_shifts.is_none_or(|m| total <= m)
        && c.max_part_time_share
            .is_none_or(|s| f64::from(part) <= s * f64::from(total) + 1e-9)
}

/// Whether shifts and breaks meet the requirement and every limit.
fn feasible(c: &Covering, x: &[u32], w: &[Vec<Vec<u32>>]) -> bool {
    if x.iter().sum::<u32>() < c.min_shifts || !within_limits(c, x) {
        return false;
    }
    for (p, pattern) in c.patterns.iter().enumerate() {
        for (b, _) in pattern.breaks.iter().enumerate() {
            if w[p][b].iter().sum::<u32>() != x[p] {
                return false;
            }
        }
    }
    coverage(c, x, w)
        .iter()
        .zip(&c.requirement)
        .all(|(have, need)| have >= need)
}

/// Places every break greedily: each agent's break, tightest windows
/// first, where the floor has most to spare over the break's slots (the
/// earliest such offset on a tie).
fn place_breaks(c: &Covering, x: &[u32]) -> Vec<Vec<Vec<u32>>> {
    let mut surplus: Vec<i64> = coverage(c, x, &[])
        .iter()
        .zip(&c.requirement)
        .map(|(&have, &need)| i64::from(have) - i64::from(need))
        .collect();
    let mut w: Vec<Vec<Vec<u32>>> = c
        .patterns
        .iter()
        .map(|p| p.breaks.iter().map(|b| vec![0; b.offsets.len()]).collect())
        .collect();
    let mut order: Vec<(usize, usize)> = Vec::new();
    for (p, pattern) in c.patterns.iter().enumerate() {
        for b in 0..pattern.breaks.len() {
            for _ in 0..x[p] {
                order.push((p, b));
            }
        }
    }
    order.sort_by_key(|&(p, b)| {
        let bw = &c.patterns[p].breaks[b];
        (bw.offsets.len(), std::cmp::Reverse(bw.length), p, b)
    });
    for (p, b) in order {
        let pattern = &c.patterns[p];
        let bw = &pattern.breaks[b];
        let mut best = 0;
        let mut best_room = i64::MIN;
        for (k, &o) in bw.offsets.iter().enumerate() {
            let room = (o..o + bw.length)
                .map(|d| slot_at(c, pattern, d))
                .filter(|&t| t < c.slots)
                .map(|t| surplus[t])
                .min()
                .unwrap_or(i64::MAX);
            if room > best_room {
                best_room = room;
                best = k;
            }
        }
        w[p][b][best] += 1;
        let o = bw.offsets[best];
        for d in o..o + bw.length {
            let t = slot_at(c, pattern, d);
            if t < c.slots {
                surplus[t] -= 1;
            }
        }
    }
    w
}

/// A first integer roster from the relaxation: rounded up, breaks placed,
/// shifts added where a slot is short (the one covering most shortage
/// per unit of cost) and dropped where the floor can spare them (the
/// dearest first). `None` when the limits stop the repair.
#[allow(clippy::type_complexity)]
fn rounded(c: &Covering, lp_x: &[f64]) -> Option<(Vec<u32>, Vec<Vec<Vec<u32>>>)> {
    let mut x: Vec<u32> = lp_x
        .iter()
        .map(|v| (v - 1e-6).ceil().max(0.0) as u32)
        .collect();
    // Repair.
    for _ in 0..10_000 {
        let w = place_breaks(c, &x);
        if feasible(c, &x, &w) {
            break;
        }
        let short: Vec<i64> = coverage(c, &x, &w)
            .iter()
            .zip(&c.requirement)
            .map(|(&have, &need)| (i64::from(need) - i64::from(have)).max(0))
            .collect();
        let total: u32 = x.iter().sum();
        let best = (0..c.patterns.len())
            .filter(|&p| {
                let mut y = x.clone();
                y[p] += 1;
                within_limits(c, &y)
            })
            .map(|p| {
                let pattern = &c.patterns[p];
                let gain: i64 = (0..pattern.length)
                    .map(|d| slot_at(c, pattern, d))
                    .filter(|&t| t < c.slots)
                    .map(|t| short[t].min(1))
                    .sum();
                let needs_more = total < c.min_shifts;
                (p, gain as f64 / pattern.cost.max(1e-12), needs_more)
            })
            .filter(|(_, gain, needs_more)| *gain > 0.0 || *needs_more)
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        let (p, _, _) = best?;
        x[p] += 1;
    }
    let mut w = place_breaks(c, &x);
    if !feasible(c, &x, &w) {
        return None;
    }
    // Drop what the floor can spare, the dearest shifts first.
    let mut order: Vec<usize> = (0..c.patterns.len()).collect();
    order.sort_by(|&a, &b| {
        c.patterns[b]
            .cost
            .total_cmp(&c.patterns[a].cost)
            .then(a.cmp(&b))
    });
    loop {
        let mut dropped = false;
        for &p in &order {
            if x[p] == 0 {
                continue;
            }
            x[p] -= 1;
            let wd = place_breaks(c, &x);
            if feasible(c, &x, &wd) {
                w = wd;
                dropped = true;
            } else {
                x[p] += 1;
            }
        }
        if !dropped {
            break;
        }
    }
    Some((x, w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> SolveLimits {
        SolveLimits {
            mip_gap: 0.0,
            time_limit_s: 60.0,
        }
    }

    /// The classical cyclic covering: hourly requirements over a 24-hour
    /// day, 8-hour shifts starting on any hour, no breaks. Its optimum is
    /// 55 shifts.
    #[test]
    fn the_cyclic_24_hour_instance_is_solved_to_its_optimum_of_55_shifts() {
        let requirement = vec![
            6, 6, 6, 6, 6, 8, 9, 12, 18, 22, 25, 21, 21, 20, 18, 21, 21, 24, 24, 18, 18, 18, 12, 8,
        ];
        let c = Covering {
            slots: 24,
            cyclic: true,
            requirement,
            patterns: (0..24)
                .map(|start| Pattern {
                    start,
                    length: 8,
                    cost: 1.0,
                    part_time: false,
                    breaks: vec![],
                })
                .collect(),
            min_shifts: 0,
            max_shifts: None,
            max_part_time_share: None,
        };
        let cover = solve(&c, limits()).unwrap();
        assert_eq!(cover.shifts.iter().sum::<u32>(), 55);
        assert!((cover.cost - 55.0).abs() < 1e-9);
        assert!(cover.lp_bound <= 55.0 + 1e-6);
        assert!(cover
            .coverage(&c)
            .iter()
            .zip(&c.requirement)
            .all(|(h, n)| h >= n));
        // The shifts that run past midnight cover the early hours.
        assert!(cover.proven_optimal);
    }

    #[test]
    fn breaks_go_where_the_floor_can_spare_them_and_are_counted_off_it() {
        // 8 slots; one pattern of 6 slots from slot 1 with a 1-slot break
        // at offset 2 or 3; slot 3 needs 2 agents, slot 4 needs 1.
        let c = Covering {
            slots: 8,
            cyclic: false,
            requirement: vec![0, 1, 1, 2, 1, 1, 1, 0],
            patterns: vec![Pattern {
                start: 1,
                length: 6,
                cost: 6.0,
                part_time: false,
                breaks: vec![BreakWindow {
                    length: 1,
                    offsets: vec![2, 3],
                }],
            }],
            min_shifts: 0,
            max_shifts: None,
            max_part_time_share: None,
        };
        let cover = solve(&c, limits()).unwrap();
        // Two agents cannot do it (one break at slot 3 leaves it short,
        // both at slot 4 leave nobody there): three, one breaking at slot
        // 3 and two at slot 4 — the only placement that works.
        assert_eq!(cover.shifts, vec![3]);
        assert_eq!(cover.breaks[0][0], vec![1, 2]);
        assert_eq!(cover.coverage(&c), vec![0, 3, 3, 2, 1, 3, 3, 0]);
        assert!(cover.proven_optimal);
    }

    #[test]
    fn part_time_share_and_most_shifts_are_limits_and_an_uncovered_slot_is_named() {
        // Two long slots need 1 each; a cheap part-timer covers either.
        let pattern = |start, length, cost, part_time| Pattern {
            start,
            length,
            cost,
            part_time,
            breaks: vec![],
        };
        let mut c = Covering {
            slots: 4,
            cyclic: false,
            requirement: vec![1, 1, 1, 1],
            patterns: vec![
                pattern(0, 4, 4.0, false),
                pattern(0, 2, 1.5, true),
                pattern(2, 2, 1.5, true),
            ],
            min_shifts: 0,
            max_shifts: None,
            max_part_time_share: None,
        };
        assert_eq!(solve(&c, limits()).unwrap().shifts, vec![0, 1, 1]);
        c.max_part_time_share = Some(0.0);
        assert_eq!(solve(&c, limits()).unwrap().shifts, vec![1, 0, 0]);
        c.requirement = vec![2, 2, 2, 2];
        c.max_shifts = Some(1);
        assert_eq!(solve(&c, limits()), Err(CoveringError::Infeasible));
        c.patterns.truncate(1);
        c.patterns[0].length = 3;
        assert_eq!(
            solve(&c, limits()),
            Err(CoveringError::Uncovered { slot: 3, need: 2 })
        );
    }
}
