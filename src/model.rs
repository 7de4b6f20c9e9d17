//! The integer program: SPEC rules 1–11 and the section 6 objective as a good_lp model.
//!
//! Variables exist only for combinations that [`Candidates`] allows, which already enforces
//! the rules that concern one class or one learner alone (1 catalogue, 2 venue hours, the
//! room-size part of 3, the availability part of 5, 7 reach, 8 work and availability,
//! 9 workplaces). Each function below adds the constraints of one rule that ties several
//! decisions together.

use std::collections::{BTreeMap, BTreeSet};

use good_lp::{
    Constraint, Expression, ProblemVariables, SolverModel, Variable, constraint, variable,
};

use crate::candidates::{Candidates, sessions_clash, travel_between};
use crate::domain::{FormatId, LearnerId, MunicipalityId, Scenario, TeacherId};
use crate::time::Interval;

/// A class option that the model may open, with its decision variables.
#[derive(Clone, Debug)]
pub struct OptionVars {
    /// Index into [`Candidates::options`].
    pub option: usize,
    /// One binary per candidate teacher: the class opens with this teacher.
    pub teachers: Vec<(TeacherId, Variable)>,
    /// One binary per learner-need that may join: (index into `Candidates::needs`, travel, var).
    pub joins: Vec<(usize, u32, Variable)>,
}

impl OptionVars {
    /// 1 when the class opens (with whichever teacher), else 0.
    fn open(&self) -> Expression {
        self.teachers.iter().map(|(_, var)| *var).sum()
    }

    /// Number of learners in the class.
    fn size(&self) -> Expression {
        self.joins.iter().map(|(_, _, var)| *var).sum()
    }
}

/// The formulation of one scenario: variables, constraints and objective, ready to solve.
pub struct Formulation {
    /// All decision variables.
    pub variables: ProblemVariables,
    /// The options that can open, with their variables.
    pub options: Vec<OptionVars>,
    /// The constraints, rule by rule.
    pub constraints: Vec<Constraint>,
    /// The objective to maximise.
    pub objective: Expression,
    /// The lowest municipality coverage share, when fairness has a weight.
    pub lowest_share: Option<Variable>,
}

impl Formulation {
    /// Builds the integer program for a scenario and its candidates.
    pub fn new(scenario: &Scenario, candidates: &Candidates) -> Formulation {
        let mut variables = ProblemVariables::new();
        let options = decision_variables(&mut variables, scenario, candidates);
        let mut model = Formulation {
            variables,
            options,
            constraints: Vec::new(),
            objective: Expression::default(),
            lowest_share: None,
        };
        let rows = |model: &mut Formulation, rule: &str, add: &dyn Fn(&mut Formulation)| {
            let before = model.constraints.len();
            add(model);
            tracing::debug!(
                rule,
                rows = model.constraints.len() - before,
                "constraints added"
            );
        };
        rows(&mut model, "one teacher", &|m| m.one_teacher_per_class());
        rows(&mut model, "class size", &|m| {
            m.class_size(scenario, candidates)
        });
        rows(&mut model, "room", &|m| {
            m.room_no_overlap(scenario, candidates)
        });
        rows(&mut model, "teacher overlap", &|m| {
            m.teacher_no_overlap(scenario, candidates)
        });
        rows(&mut model, "teacher hours", &|m| {
            m.teacher_max_hours(scenario, candidates)
        });
        rows(&mut model, "teacher travel", &|m| {
            m.teacher_travel(scenario, candidates)
        });
        rows(&mut model, "need", &|m| m.one_class_per_need(candidates));
        rows(&mut model, "own clash", &|m| {
            m.own_clash(scenario, candidates)
        });
        rows(&mut model, "budget", &|m| m.budget(scenario, candidates));
        model.set_objective(scenario, candidates);
        model
    }

    /// Number of decision variables.
    pub fn variable_count(&self) -> usize {
        self.variables.len()
    }

    /// A class has exactly one teacher when it opens (rule 1: a class is taught).
    fn one_teacher_per_class(&mut self) {
        for option in &self.options {
            if option.teachers.len() > 1 {
                self.constraints.push(constraint!(option.open() <= 1));
            }
        }
    }

    /// Rule 3: an open class has between `min_size` and `min(max_size, room capacity)`
    /// learners; a closed one has none.
    fn class_size(&mut self, scenario: &Scenario, candidates: &Candidates) {
        for option in &self.options {
            let class = &candidates.options[option.option];
            let min_size = f64::from(scenario.course(class.course).min_size);
            let capacity = f64::from(class.capacity);
            self.constraints
                .push(constraint!(option.size() <= capacity * option.open()));
            self.constraints
                .push(constraint!(option.size() >= min_size * option.open()));
            // Implied by the two above, but it tightens the LP relaxation a great deal.
            for (_, _, join) in &option.joins {
                self.constraints.push(constraint!(*join <= option.open()));
            }
        }
    }

    /// Rule 4: no two classes in one room have overlapping sessions.
    fn room_no_overlap(&mut self, _scenario: &Scenario, candidates: &Candidates) {
        let mut by_room: std::collections::BTreeMap<_, Vec<usize>> = Default::default();
        for (k, option) in self.options.iter().enumerate() {
            by_room
                .entry(candidates.options[option.option].room)
                .or_default()
                .push(k);
        }
        for members in by_room.values() {
            let sessions: Vec<&[Interval]> = members
                .iter()
                .map(|&k| {
                    candidates.options[self.options[k].option]
                        .intervals
                        .as_slice()
                })
                .collect();
            for clique in overlap_cliques(&sessions) {
                let open: Expression = clique
                    .iter()
                    .map(|&i| self.options[members[i]].open())
                    .sum();
                self.constraints.push(constraint!(open <= 1));
            }
        }
    }

    /// Rule 5: no two classes of one teacher overlap.
    fn teacher_no_overlap(&mut self, scenario: &Scenario, candidates: &Candidates) {
        for (_, assignments) in self.teacher_assignments(scenario) {
            let sessions: Vec<&[Interval]> = assignments
                .iter()
                .map(|&(k, _)| {
                    candidates.options[self.options[k].option]
                        .intervals
                        .as_slice()
                })
                .collect();
            for clique in overlap_cliques(&sessions) {
                let taught: Expression = clique.iter().map(|&i| assignments[i].1).sum();
                self.constraints.push(constraint!(taught <= 1));
            }
        }
    }

    /// Rule 5: a teacher's classes add up to at most `max_hours` a week.
    fn teacher_max_hours(&mut self, scenario: &Scenario, candidates: &Candidates) {
        for (teacher, assignments) in self.teacher_assignments(scenario) {
            let hours: Expression = assignments
                .iter()
                .map(|&(k, var)| {
                    let format = candidates.options[self.options[k].option].format;
                    scenario.format(format).weekly_hours() * var
                })
                .sum();
            let max_hours = scenario.teacher(teacher).max_hours;
            self.constraints.push(constraint!(hours <= max_hours));
        }
    }

    /// Rule 5: two sessions of a teacher on one day at venues in different municipalities
    /// leave at least the teacher's travel time between them.
    fn teacher_travel(&mut self, scenario: &Scenario, candidates: &Candidates) {
        for (teacher, assignments) in self.teacher_assignments(scenario) {
            let mode = scenario.teacher(teacher).mode;
            // Classes of one format in one municipality have the same hours, so they
            // overlap each other and the teacher takes at most one of them: each such
            // group acts as one decision, and a row per clashing pair of groups (rather
            // than per pair of classes) keeps the model small.
            let mut groups: BTreeMap<(MunicipalityId, FormatId), (usize, Vec<Variable>)> =
                BTreeMap::new();
            for &(k, var) in &assignments {
                let option = &candidates.options[self.options[k].option];
                let municipality = scenario.venue(option.room.venue).municipality;
                groups
                    .entry((municipality, option.format))
                    .or_insert_with(|| (self.options[k].option, Vec::new()))
                    .1
                    .push(var);
            }
            let groups: Vec<(usize, Vec<Variable>)> = groups.into_values().collect();
            for (i, (first, first_vars)) in groups.iter().enumerate() {
                for (second, second_vars) in &groups[i + 1..] {
                    let (a, b) = (&candidates.options[*first], &candidates.options[*second]);
                    let travel = travel_between(scenario, a, b, mode);
                    if travel == 0 || sessions_clash(&a.intervals, &b.intervals, 0) {
                        continue; // same town, or already excluded as an overlap
                    }
                    if sessions_clash(&a.intervals, &b.intervals, travel) {
                        let both: Expression = first_vars.iter().chain(second_vars).copied().sum();
                        self.constraints.push(constraint!(both <= 1));
                    }
                }
            }
        }
    }

    /// Rule 6: each learner-need is placed in at most one class.
    fn one_class_per_need(&mut self, candidates: &Candidates) {
        let mut per_need: Vec<Vec<Variable>> = vec![Vec::new(); candidates.needs.len()];
        for option in &self.options {
            for &(need, _, var) in &option.joins {
                per_need[need].push(var);
            }
        }
        for vars in per_need.into_iter().filter(|vars| vars.len() > 1) {
            let placed: Expression = vars.into_iter().sum();
            self.constraints.push(constraint!(placed <= 1));
        }
    }

    /// Rule 10: a learner's classes for different needs neither overlap nor leave too little
    /// time to travel between municipalities on the same day.
    fn own_clash(&mut self, scenario: &Scenario, candidates: &Candidates) {
        // For each need, the (option, variable) pairs it may take.
        let mut per_need: Vec<Vec<(usize, Variable)>> = vec![Vec::new(); candidates.needs.len()];
        for option in &self.options {
            for &(need, _, var) in &option.joins {
                per_need[need].push((option.option, var));
            }
        }
        let mut first_need = 0;
        while first_need < candidates.needs.len() {
            let learner: LearnerId = candidates.needs[first_need].learner;
            let mut end = first_need;
            while end < candidates.needs.len() && candidates.needs[end].learner == learner {
                end += 1;
            }
            let mode = scenario.learner(learner).mode;
            for n1 in first_need..end {
                for n2 in first_need..end {
                    if n1 == n2 {
                        continue;
                    }
                    // x[n1, o1] + sum of x[n2, o2] over o2 clashing with o1 <= 1: one row per
                    // (o1, other need), stronger than one row per clashing pair, and valid
                    // because need n2 takes at most one class anyway.
                    for &(o1, var1) in &per_need[n1] {
                        let a = &candidates.options[o1];
                        let clashing: Vec<Variable> = per_need[n2]
                            .iter()
                            .filter(|&&(o2, _)| {
                                let b = &candidates.options[o2];
                                let travel = travel_between(scenario, a, b, mode);
                                sessions_clash(&a.intervals, &b.intervals, travel)
                            })
                            .map(|&(_, var)| var)
                            .collect();
                        if !clashing.is_empty() {
                            let row: Expression = clashing.into_iter().sum::<Expression>() + var1;
                            self.constraints.push(constraint!(row <= 1));
                        }
                    }
                }
            }
            first_need = end;
        }
    }

    /// Rule 11: total teacher cost plus room cost stays within `budget.max_cost`.
    fn budget(&mut self, scenario: &Scenario, candidates: &Candidates) {
        let Some(max_cost) = scenario.max_cost else {
            return;
        };
        let cost: Expression = self
            .options
            .iter()
            .flat_map(|option| {
                let class = &candidates.options[option.option];
                option.teachers.iter().map(move |&(teacher, var)| {
                    (scenario.teacher_cost(class.course, class.format, teacher)
                        + scenario.room_cost(class.course, class.format, class.room.venue))
                        * var
                })
            })
            .sum();
        self.constraints.push(constraint!(cost <= max_cost));
    }

    /// Section 6: serve placed needs by priority, less weighted teacher cost, room cost and
    /// travel, plus weighted fairness (the lowest municipality coverage share).
    fn set_objective(&mut self, scenario: &Scenario, candidates: &Candidates) {
        let weights = &scenario.objective;
        let mut objective = Expression::default();
        for option in &self.options {
            let class = &candidates.options[option.option];
            for &(teacher, var) in &option.teachers {
                let cost = weights.teacher_cost
                    * scenario.teacher_cost(class.course, class.format, teacher)
                    + weights.room_cost
                        * scenario.room_cost(class.course, class.format, class.room.venue);
                objective.add_mul(-cost, var);
            }
            for &(need, travel, var) in &option.joins {
                let priority = scenario.learner(candidates.needs[need].learner).priority;
                objective.add_mul(
                    weights.serve * priority - weights.travel * f64::from(travel),
                    var,
                );
            }
        }
        // With weight 0 the term is 0 whatever the coverage, so it needs no variable.
        if weights.fairness > 0.0 {
            let fairness = self.fairness(scenario, candidates);
            objective.add_mul(weights.fairness, fairness);
            self.lowest_share = Some(fairness);
        }
        self.objective = objective;
    }

    /// Section 6 fairness: a variable bounded by each municipality's coverage share, so at
    /// the optimum it equals the lowest share (1 when no municipality has demand).
    fn fairness(&mut self, scenario: &Scenario, candidates: &Candidates) -> Variable {
        let lowest_share = self.variables.add(variable().min(0.0).max(1.0));
        let mut needs = vec![0u32; scenario.municipalities.len()];
        for need in &candidates.needs {
            needs[scenario.learner(need.learner).municipality.0] += 1;
        }
        let mut placed: Vec<Expression> = vec![Expression::default(); needs.len()];
        for option in &self.options {
            for &(need, _, var) in &option.joins {
                let municipality = scenario
                    .learner(candidates.needs[need].learner)
                    .municipality;
                placed[municipality.0].add_mul(1.0, var);
            }
        }
        for (placed, needs) in placed.into_iter().zip(needs) {
            if needs > 0 {
                self.constraints
                    .push(constraint!(f64::from(needs) * lowest_share <= placed));
            }
        }
        lowest_share
    }

    /// Every teacher with the options they could take: (index into `self.options`, variable).
    fn teacher_assignments(&self, scenario: &Scenario) -> Vec<(TeacherId, Vec<(usize, Variable)>)> {
        let mut per_teacher: Vec<Vec<(usize, Variable)>> =
            vec![Vec::new(); scenario.teachers.len()];
        for (k, option) in self.options.iter().enumerate() {
            for &(teacher, var) in &option.teachers {
                per_teacher[teacher.0].push((k, var));
            }
        }
        per_teacher
            .into_iter()
            .enumerate()
            .filter(|(_, assignments)| !assignments.is_empty())
            .map(|(t, assignments)| (TeacherId(t), assignments))
            .collect()
    }

    /// Hands the model to a solver backend with all constraints and the objective.
    pub fn into_problem<S, M>(self, solver: S) -> M
    where
        S: good_lp::solvers::Solver<Model = M>,
        M: SolverModel,
    {
        let mut problem = self.variables.maximise(self.objective).using(solver);
        for row in self.constraints {
            problem.add_constraint(row);
        }
        problem
    }
}

/// Creates the binaries of the options that can open: a teacher variable per candidate
/// teacher and a join variable per eligible need. Options that could never reach their
/// minimum size get no variables.
fn decision_variables(
    variables: &mut ProblemVariables,
    scenario: &Scenario,
    candidates: &Candidates,
) -> Vec<OptionVars> {
    let mut joiners: Vec<Vec<(usize, u32)>> = vec![Vec::new(); candidates.options.len()];
    for (need, eligible) in candidates.eligible.iter().enumerate() {
        for e in eligible {
            joiners[e.option].push((need, e.travel));
        }
    }
    let mut options = Vec::new();
    for (index, option) in candidates.options.iter().enumerate() {
        let min_size = scenario.course(option.course).min_size as usize;
        if option.teachers.is_empty() || joiners[index].len() < min_size.max(1) {
            continue;
        }
        let teachers = option
            .teachers
            .iter()
            .map(|&teacher| (teacher, variables.add(variable().binary())))
            .collect();
        let joins = joiners[index]
            .iter()
            .map(|&(need, travel)| (need, travel, variables.add(variable().binary())))
            .collect();
        options.push(OptionVars {
            option: index,
            teachers,
            joins,
        });
    }
    options
}

/// The maximal sets of mutually overlapping items among `sessions` (each item a list of
/// intervals), as index lists with at least two members. Two items overlap exactly when
/// some point lies in both, and then the later of the two overlapping session starts does,
/// so looking at every session start finds every overlapping pair.
fn overlap_cliques(sessions: &[&[Interval]]) -> Vec<Vec<usize>> {
    let mut cliques = BTreeSet::new();
    for item in sessions.iter() {
        for interval in item.iter() {
            let point = interval.start;
            let members: Vec<usize> = sessions
                .iter()
                .enumerate()
                .filter(|(_, other)| other.iter().any(|i| i.start <= point && point < i.end))
                .map(|(k, _)| k)
                .collect();
            if members.len() > 1 {
                cliques.insert(members);
            }
        }
    }
    // Drop sets contained in another: their rows are implied.
    let cliques: Vec<Vec<usize>> = cliques.into_iter().collect();
    cliques
        .iter()
        .filter(|small| {
            !cliques
                .iter()
                .any(|big| big.len() > small.len() && small.iter().all(|k| big.contains(k)))
        })
        .cloned()
        .collect()
}

/// Reads the chosen classes out of a solution: for every opened option, the teacher and
/// the indices of the needs that join it.
pub fn chosen_classes(
    options: &[OptionVars],
    value: impl Fn(Variable) -> f64,
) -> Vec<(usize, TeacherId, Vec<usize>)> {
    options
        .iter()
        .filter_map(|option| {
            let (teacher, _) = option.teachers.iter().find(|(_, var)| value(*var) > 0.5)?;
            let joined = option
                .joins
                .iter()
                .filter(|(_, _, var)| value(*var) > 0.5)
                .map(|&(need, _, _)| need)
                .collect();
            Some((option.option, *teacher, joined))
        })
        .collect()
}
