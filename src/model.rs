//! The integer program: SPEC rules 1–11 and the section 6 objective as a good_lp model.
//!
//! Variables exist only for combinations that [`Candidates`] allows, which already enforces
//! the rules that concern one class or one learner alone (1 catalogue, 2 venue hours, the
//! room-size part of 3, the availability part of 5, 7 reach, 8 work and availability,
//! 9 workplaces). Each function below adds the constraints of one rule that ties several
//! decisions together.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use good_lp::{
    Constraint, Expression, IntoAffineExpression, ProblemVariables, SolverModel, Variable,
    constraint, variable,
};

use crate::candidates::{Candidates, ClassOption, sessions_clash, travel_between};
use crate::domain::{
    CourseId, FormatId, LearnerId, MunicipalityId, Resource, Scenario, TeacherId, VenueId,
};
use crate::time::Interval;

/// A class that the model may open: one class option (course, format and room).
#[derive(Clone, Debug)]
pub struct ClassVars {
    /// Index into [`Candidates::options`].
    pub option: usize,
    /// 1 when the class opens in this room.
    pub open: Variable,
}

/// An offer: a course in a format at one venue, held as one class per room that opens.
///
/// Every room of a venue is as reachable and as attendable as the next, so a learner's
/// choice is the offer, not the room: learners join the offer and its open classes share
/// them out afterwards. This keeps one join variable per learner-need and venue instead of
/// one per room.
///
/// The same holds for teachers: the classes of an offer meet at the same times in the same
/// town, so a teacher's rules and cost do not depend on the room. The model chooses who
/// teaches the offer, as many teachers as open rooms, and [`chosen_classes`] pairs them
/// with rooms. This keeps one teacher variable per offer instead of one per room.
#[derive(Clone, Debug)]
pub struct OfferVars {
    /// The offer's classes, one per room: indices into [`Formulation::classes`].
    pub classes: Vec<usize>,
    /// One binary per candidate teacher: the teacher takes one of the offer's classes
    /// (they overlap, so no teacher takes two).
    pub teachers: Vec<(TeacherId, Variable)>,
    /// The course's minimum class size.
    pub min_size: u32,
    /// One binary per learner-need that may join: (index into `Candidates::needs`, travel,
    /// variable).
    pub joins: Vec<(usize, u32, Variable)>,
}

/// What one teacher teaches in one format in one municipality: classes there overlap one
/// another, so the teacher takes at most one and the group acts as one decision in the
/// teacher's rules.
#[derive(Clone, Debug)]
struct TeacherSlot {
    /// The teacher.
    teacher: TeacherId,
    /// A class option of the group, standing for the group's hours and place.
    option: usize,
    /// 1 when the teacher teaches one of the group's classes: the single member's variable,
    /// or a variable equal to the sum of the members'.
    taught: Variable,
    /// The teacher variables of the group's offers.
    members: Vec<Variable>,
}

/// One teacher's weekly patterns ([`Formulation::teacher_week_patterns`]): per format the
/// teacher's slot variables, and per pattern the formats it holds with its weight variable.
#[derive(Clone, Debug)]
struct WeekPatterns {
    /// Per format, the `taught` variables of the teacher's slots in it.
    formats: Vec<Vec<Variable>>,
    /// Per pattern, the indices into `formats` it holds and its weight.
    patterns: Vec<(Vec<usize>, Variable)>,
}

/// A hard coverage requirement: "what would it take to place this share".
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CoverageTarget {
    /// Placed learner-needs over all learner-needs, at least.
    pub share: f64,
    /// Require the share in every municipality with demand, not only overall.
    pub per_municipality: bool,
}

/// The class and offer variables of a formulation handed to a solver.
#[derive(Clone, Debug)]
pub struct Decisions {
    /// The classes that may open.
    pub classes: Vec<ClassVars>,
    /// The offers learners may join.
    pub offers: Vec<OfferVars>,
}

/// The formulation of one scenario: variables, constraints and objective, ready to solve.
pub struct Formulation {
    /// All decision variables.
    pub variables: ProblemVariables,
    /// The classes that may open, with their variables.
    pub classes: Vec<ClassVars>,
    /// The offers learners may join, with their variables.
    pub offers: Vec<OfferVars>,
    /// Per teacher, per format and municipality: whether they teach there.
    slots: Vec<TeacherSlot>,
    /// The week patterns of the teachers who have more than one.
    week_patterns: Vec<WeekPatterns>,
    /// The optional resources some class could use, each with a binary: paid for.
    optional: Vec<(Resource, Variable)>,
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
        let (classes, offers) = decision_variables(&mut variables, scenario, candidates);
        let slots = teacher_slots(&mut variables, scenario, candidates, &classes, &offers);
        let optional = optional_resources(scenario, candidates, &classes, &offers)
            .into_iter()
            .map(|(resource, _)| resource)
            .collect::<BTreeSet<Resource>>()
            .into_iter()
            .map(|resource| (resource, variables.add(variable().binary())))
            .collect();
        let mut model = Formulation {
            variables,
            classes,
            offers,
            slots,
            week_patterns: Vec::new(),
            optional,
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
        rows(&mut model, "teacher slots", &|m| {
            m.teacher_slot_definition()
        });
        rows(&mut model, "class size", &|m| m.class_size(candidates));
        rows(&mut model, "room", &|m| m.room_no_overlap(candidates));
        rows(&mut model, "teacher overlap", &|m| {
            m.teacher_no_overlap(scenario, candidates)
        });
        rows(&mut model, "teacher hours", &|m| {
            m.teacher_max_hours(scenario, candidates)
        });
        rows(&mut model, "teacher week patterns", &|m| {
            m.teacher_week_patterns(scenario, candidates)
        });
        rows(&mut model, "teacher travel", &|m| {
            m.teacher_travel(scenario, candidates)
        });
        rows(&mut model, "need", &|m| m.one_class_per_need(candidates));
        rows(&mut model, "own clash", &|m| {
            m.own_clash(scenario, candidates)
        });
        rows(&mut model, "optional resources", &|m| {
            m.optional_resources_paid(scenario, candidates)
        });
        rows(&mut model, "budget", &|m| m.budget(scenario, candidates));
        model.set_objective(scenario, candidates);
        model
    }

    /// Number of decision variables.
    pub fn variable_count(&self) -> usize {
        self.variables.len()
    }

    /// Each variable's column in the solver's model: the order the variables were added.
    pub fn columns(&self) -> HashMap<Variable, usize> {
        self.variables
            .iter_variables_with_def()
            .enumerate()
            .map(|(column, (var, _))| (var, column))
            .collect()
    }

    /// The rows, objective and column bounds by column, for turning row multipliers into a
    /// bound once the solver has taken the formulation ([`DualBound::bound`]).
    pub fn dual_bound(&self) -> DualBound {
        let columns = self.columns();
        let terms = |expression: &Expression| -> Vec<(usize, f64)> {
            expression
                .linear_coefficients()
                .map(|(variable, factor)| (columns[&variable], factor))
                .collect()
        };
        let mut objective = vec![0.0; columns.len()];
        for (column, factor) in terms(&self.objective) {
            objective[column] += factor;
        }
        let (lower, upper) = self
            .variables
            .iter_variables_with_def()
            .map(|(_, definition)| (definition.get_min(), definition.get_max()))
            .unzip();
        DualBound {
            rows: self
                .constraints
                .iter()
                .map(|row| BoundRow {
                    terms: terms(row.expression()),
                    constant: row.expression().constant(),
                    equality: row.is_equality(),
                })
                .collect(),
            objective,
            objective_constant: self.objective.constant(),
            lower,
            upper,
        }
    }

    /// Every open class has one teacher: an offer has as many teachers as open classes.
    fn one_teacher_per_class(&mut self) {
        for offer in &self.offers {
            if let ([(_, teacher)], [class]) = (offer.teachers.as_slice(), offer.classes.as_slice())
                && *teacher == self.classes[*class].open
            {
                continue; // one variable serves as both
            }
            let taught: Expression = offer.teachers.iter().map(|(_, var)| *var).sum();
            let open: Expression = offer.classes.iter().map(|&k| self.classes[k].open).sum();
            self.constraints.push(constraint!(taught == open));
        }
    }

    /// A teacher's slot is taught when one of its classes is (a definition, not a rule).
    fn teacher_slot_definition(&mut self) {
        for slot in &self.slots {
            if slot.members.len() > 1 {
                let members: Expression = slot.members.iter().copied().sum();
                self.constraints.push(constraint!(members == slot.taught));
            }
        }
    }

    /// Rule 3: the open classes of an offer hold between `min_size` and their room's
    /// capacity learners each; with no open class the offer has no learners.
    ///
    /// Learners of one offer can always be shared out over its open classes when their
    /// number lies between the sum of the minimums and the sum of the capacities, so these
    /// two sums are all the model needs.
    fn class_size(&mut self, candidates: &Candidates) {
        for offer in &self.offers {
            let size: Expression = offer.joins.iter().map(|(_, _, var)| *var).sum();
            let mut capacity = Expression::default();
            let mut open = Expression::default();
            for &class in &offer.classes {
                let class = &self.classes[class];
                capacity.add_mul(
                    f64::from(candidates.options[class.option].capacity),
                    class.open,
                );
                open.add_mul(1.0, class.open);
            }
            let min_size = f64::from(offer.min_size);
            self.constraints.push(constraint!(size.clone() <= capacity));
            self.constraints
                .push(constraint!(size >= min_size * open.clone()));
            // Implied by the two above, but it tightens the LP relaxation a great deal.
            for (_, _, join) in &offer.joins {
                self.constraints.push(constraint!(*join <= open.clone()));
            }
        }
    }

    /// Rule 4: no two classes in one room have overlapping sessions.
    fn room_no_overlap(&mut self, candidates: &Candidates) {
        let mut by_room: BTreeMap<_, Vec<usize>> = BTreeMap::new();
        for (k, class) in self.classes.iter().enumerate() {
            by_room
                .entry(candidates.options[class.option].room)
                .or_default()
                .push(k);
        }
        for members in by_room.values() {
            let sessions: Vec<&[Interval]> = members
                .iter()
                .map(|&k| {
                    candidates.options[self.classes[k].option]
                        .intervals
                        .as_slice()
                })
                .collect();
            for clique in overlap_cliques(&sessions) {
                let open: Expression = clique.iter().map(|&i| self.classes[members[i]].open).sum();
                self.constraints.push(constraint!(open <= 1));
            }
        }
    }

    /// Rule 5: no two classes of one teacher overlap.
    fn teacher_no_overlap(&mut self, scenario: &Scenario, candidates: &Candidates) {
        for slots in self.slots_per_teacher(scenario) {
            let sessions: Vec<&[Interval]> = slots
                .iter()
                .map(|slot| candidates.options[slot.option].intervals.as_slice())
                .collect();
            for clique in overlap_cliques(&sessions) {
                let taught: Expression = clique.iter().map(|&i| slots[i].taught).sum();
                self.constraints.push(constraint!(taught <= 1));
            }
        }
    }

    /// Rule 5: a teacher's classes add up to at most `max_hours` a week.
    fn teacher_max_hours(&mut self, scenario: &Scenario, candidates: &Candidates) {
        for slots in self.slots_per_teacher(scenario) {
            let teacher = slots[0].teacher;
            let hours: Expression = slots
                .iter()
                .map(|slot| {
                    let format = candidates.options[slot.option].format;
                    scenario.format(format).weekly_hours() * slot.taught
                })
                .sum();
            let max_hours = scenario.teacher(teacher).max_hours;
            self.constraints.push(constraint!(hours <= max_hours));
        }
    }

    /// Rule 5, tightened: the formats a teacher teaches form one of the teacher's weekly
    /// patterns, the largest sets of formats that do not overlap and fit `max_hours`.
    ///
    /// Implied by the overlap and hours rows for whole decisions, but the LP relaxation of
    /// those rows lets a teacher with 15 hours teach 2.5 six-hour classes; one weight per
    /// pattern gives the relaxation the exact hull of the teacher's week. Teachers with
    /// more than [`MAX_WEEK_PATTERNS`] patterns keep the plain rows only.
    fn teacher_week_patterns(&mut self, scenario: &Scenario, candidates: &Candidates) {
        for slots in self.slots_per_teacher(scenario) {
            let teacher = scenario.teacher(slots[0].teacher);
            // Per format: its sessions and the teacher's slots in it.
            let mut formats: BTreeMap<FormatId, (&[Interval], Vec<Variable>)> = BTreeMap::new();
            for slot in &slots {
                let option = &candidates.options[slot.option];
                formats
                    .entry(option.format)
                    .or_insert_with(|| (option.intervals.as_slice(), Vec::new()))
                    .1
                    .push(slot.taught);
            }
            let items: Vec<(f64, &[Interval])> = formats
                .iter()
                .map(|(&f, &(intervals, _))| (scenario.format(f).weekly_hours(), intervals))
                .collect();
            let Some(patterns) = week_patterns(&items, teacher.max_hours) else {
                continue;
            };
            if patterns.len() < 2 {
                continue; // every format fits at once: nothing to tighten
            }
            let weights: Vec<Variable> = patterns
                .iter()
                .map(|_| self.variables.add(variable().min(0.0).max(1.0)))
                .collect();
            let total: Expression = weights.iter().copied().sum();
            self.constraints.push(constraint!(total <= 1));
            for (index, (_, members)) in formats.values().enumerate() {
                let taught: Expression = members.iter().copied().sum();
                let allowed: Expression = patterns
                    .iter()
                    .zip(&weights)
                    .filter(|(pattern, _)| pattern.contains(&index))
                    .map(|(_, &weight)| weight)
                    .sum();
                self.constraints.push(constraint!(taught <= allowed));
            }
            self.week_patterns.push(WeekPatterns {
                formats: formats.into_values().map(|(_, members)| members).collect(),
                patterns: patterns.into_iter().zip(weights).collect(),
            });
        }
    }

    /// Rule 5: two sessions of a teacher on one day at venues in different municipalities
    /// leave at least the teacher's travel time between them.
    fn teacher_travel(&mut self, scenario: &Scenario, candidates: &Candidates) {
        for slots in self.slots_per_teacher(scenario) {
            let mode = scenario.teacher(slots[0].teacher).mode;
            let mut formats: BTreeMap<FormatId, Vec<&TeacherSlot>> = BTreeMap::new();
            for slot in &slots {
                let format = candidates.options[slot.option].format;
                formats.entry(format).or_default().push(slot);
            }
            // A teacher's slots in one format share its sessions, so at most one is taught:
            // one row per (slot, other format) holds the slot and all the format's slots
            // too far from it, stronger than and as valid as one row per pair.
            for slot in &slots {
                let a = &candidates.options[slot.option];
                for (&format, others) in &formats {
                    if format == a.format {
                        continue;
                    }
                    let too_far: Vec<Variable> = others
                        .iter()
                        .filter(|other| {
                            let b = &candidates.options[other.option];
                            let travel = travel_between(scenario, a, b, mode);
                            // Overlapping sessions are the overlap rule's, not this one's.
                            travel > 0
                                && !sessions_clash(&a.intervals, &b.intervals, 0)
                                && sessions_clash(&a.intervals, &b.intervals, travel)
                        })
                        .map(|other| other.taught)
                        .collect();
                    if !too_far.is_empty() {
                        let row: Expression = too_far.into_iter().sum::<Expression>() + slot.taught;
                        self.constraints.push(constraint!(row <= 1));
                    }
                }
            }
        }
    }

    /// Rule 6: each learner-need is placed in at most one class.
    fn one_class_per_need(&mut self, candidates: &Candidates) {
        let mut per_need: Vec<Vec<Variable>> = vec![Vec::new(); candidates.needs.len()];
        for offer in &self.offers {
            for &(need, _, var) in &offer.joins {
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
        // For each need, the (class option standing for the offer, variable) pairs it may take.
        let mut per_need: Vec<Vec<(usize, Variable)>> = vec![Vec::new(); candidates.needs.len()];
        for offer in &self.offers {
            let option = self.classes[offer.classes[0]].option;
            for &(need, _, var) in &offer.joins {
                per_need[need].push((option, var));
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
        let mut cost = self.class_cost(scenario, candidates, 1.0, 1.0);
        for &(resource, used) in &self.optional {
            cost.add_mul(resource.fixed_cost(scenario), used);
        }
        self.constraints.push(constraint!(cost <= max_cost));
    }

    /// A class uses an optional teacher, room or opening hours only when the plan pays for
    /// them (the fixed cost counts once, however many classes use the resource).
    fn optional_resources_paid(&mut self, scenario: &Scenario, candidates: &Candidates) {
        let paid: HashMap<Resource, Variable> = self.optional.iter().copied().collect();
        for slot in &self.slots {
            if let Some(&used) = paid.get(&Resource::Teacher(slot.teacher)) {
                self.constraints.push(constraint!(slot.taught <= used));
            }
        }
        let needs = optional_resources(scenario, candidates, &self.classes, &self.offers);
        for (resource, class) in needs {
            if matches!(resource, Resource::Teacher(_)) {
                continue; // per slot above: fewer, shorter rows
            }
            let open = self.classes[class].open;
            self.constraints.push(constraint!(open <= paid[&resource]));
        }
    }

    /// Total weighted cost: teacher and room cost of the classes and the fixed cost of the
    /// optional resources paid for.
    fn weighted_cost(&self, scenario: &Scenario, candidates: &Candidates) -> Expression {
        let weights = &scenario.objective;
        let mut cost = self.class_cost(
            scenario,
            candidates,
            weights.teacher_cost,
            weights.room_cost,
        );
        for &(resource, used) in &self.optional {
            cost.add_mul(
                resource.weight(scenario) * resource.fixed_cost(scenario),
                used,
            );
        }
        cost
    }

    /// Teacher cost times `teacher_weight` plus room cost times `room_weight` of the classes
    /// that open.
    fn class_cost(
        &self,
        scenario: &Scenario,
        candidates: &Candidates,
        teacher_weight: f64,
        room_weight: f64,
    ) -> Expression {
        let mut cost = Expression::default();
        for offer in &self.offers {
            let option = &candidates.options[self.classes[offer.classes[0]].option];
            for &(teacher, var) in &offer.teachers {
                let teacher_cost = scenario.teacher_cost(option.course, option.format, teacher);
                cost.add_mul(teacher_weight * teacher_cost, var);
            }
            let room_cost = scenario.room_cost(option.course, option.format, option.room.venue);
            for &k in &offer.classes {
                cost.add_mul(room_weight * room_cost, self.classes[k].open);
            }
        }
        cost
    }

    /// Target mode: the placed learner-needs reach `target.share` of all learner-needs,
    /// overall or in every municipality with demand.
    pub fn require_coverage(
        &mut self,
        scenario: &Scenario,
        candidates: &Candidates,
        target: CoverageTarget,
    ) {
        let per_group = |need: usize| {
            if target.per_municipality {
                scenario
                    .learner(candidates.needs[need].learner)
                    .municipality
                    .0
            } else {
                0
            }
        };
        let groups = if target.per_municipality {
            scenario.municipalities.len()
        } else {
            1
        };
        let mut needs = vec![0u32; groups];
        for need in 0..candidates.needs.len() {
            needs[per_group(need)] += 1;
        }
        let mut placed = vec![Expression::default(); groups];
        for offer in &self.offers {
            for &(need, _, var) in &offer.joins {
                placed[per_group(need)].add_mul(1.0, var);
            }
        }
        for (placed, needs) in placed.into_iter().zip(needs) {
            if needs > 0 {
                // Rounded up with a little slack, so that 0.95 of 20 asks for 19, not 20.
                let required = (target.share * f64::from(needs) - 1e-9).ceil();
                self.constraints.push(constraint!(placed >= required));
            }
        }
    }

    /// Target mode: minimise the weighted cost (teacher, room and optional resources)
    /// instead of the section 6 objective.
    pub fn minimise_cost(&mut self, scenario: &Scenario, candidates: &Candidates) {
        self.objective = -self.weighted_cost(scenario, candidates);
    }

    /// When a target cannot be reached: maximise the placed learner-needs, or with
    /// `per_municipality` the lowest municipality coverage share.
    pub fn maximise_coverage(
        &mut self,
        scenario: &Scenario,
        candidates: &Candidates,
        per_municipality: bool,
    ) {
        self.objective = if per_municipality {
            let share = match self.lowest_share {
                Some(share) => share,
                None => {
                    let share = self.fairness(scenario, candidates);
                    self.lowest_share = Some(share);
                    share
                }
            };
            Expression::from(share)
        } else {
            self.offers
                .iter()
                .flat_map(|offer| offer.joins.iter().map(|&(_, _, var)| var))
                .sum()
        };
    }

    /// Keeps exactly the given classes (class option, teacher) open, so that only who
    /// joins them is left to decide.
    pub fn keep_classes(&mut self, kept: &[(usize, TeacherId)]) {
        let kept_options: std::collections::HashSet<usize> =
            kept.iter().map(|&(option, _)| option).collect();
        let kept: std::collections::HashSet<(usize, TeacherId)> = kept.iter().copied().collect();
        for class in &self.classes {
            let value = f64::from(u8::from(kept_options.contains(&class.option)));
            self.constraints.push(constraint!(class.open == value));
        }
        for offer in &self.offers {
            for &(teacher, var) in &offer.teachers {
                let teaches = offer
                    .classes
                    .iter()
                    .any(|&k| kept.contains(&(self.classes[k].option, teacher)));
                let value = f64::from(u8::from(teaches));
                self.constraints.push(constraint!(var == value));
            }
        }
    }

    /// Keeps the given classes (class option, teacher) open with their teacher; everything
    /// else, including who joins them, stays to be decided.
    pub fn keep_open(&mut self, kept: &[(usize, TeacherId)]) {
        let kept: std::collections::HashSet<(usize, TeacherId)> = kept.iter().copied().collect();
        for offer in &self.offers {
            for &k in &offer.classes {
                let class = &self.classes[k];
                for &(teacher, var) in &offer.teachers {
                    if kept.contains(&(class.option, teacher)) {
                        self.constraints.push(constraint!(class.open == 1));
                        self.constraints.push(constraint!(var == 1));
                    }
                }
            }
        }
    }

    /// Section 6: serve placed needs by priority, less weighted teacher cost, room cost and
    /// travel, plus weighted fairness (the lowest municipality coverage share).
    fn set_objective(&mut self, scenario: &Scenario, candidates: &Candidates) {
        let weights = &scenario.objective;
        let mut objective = -self.weighted_cost(scenario, candidates);
        for offer in &self.offers {
            for &(need, travel, var) in &offer.joins {
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
        for offer in &self.offers {
            for &(need, _, var) in &offer.joins {
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

    /// The teacher slots grouped by teacher, each group non-empty.
    fn slots_per_teacher(&self, scenario: &Scenario) -> Vec<Vec<TeacherSlot>> {
        let mut per_teacher: Vec<Vec<TeacherSlot>> = vec![Vec::new(); scenario.teachers.len()];
        for slot in &self.slots {
            per_teacher[slot.teacher.0].push(slot.clone());
        }
        per_teacher.retain(|slots| !slots.is_empty());
        per_teacher
    }

    /// A full start vector for HiGHS from a plan: its classes' open, teacher, slot and join
    /// variables at 1, the optional resources they use and one week pattern per teacher who
    /// teaches at 1, everything else at 0, and the fairness variable at the plan's lowest
    /// coverage share. `column` maps a variable to its column.
    pub fn start_values(
        &self,
        scenario: &Scenario,
        candidates: &Candidates,
        plan: &[(usize, TeacherId, Vec<usize>)],
        column: impl Fn(Variable) -> Option<usize>,
        columns: usize,
    ) -> Vec<f64> {
        let mut start = vec![0.0; columns];
        let mut set = |var: Variable, value: f64| {
            if let Some(column) = column(var) {
                start[column] = value;
            }
        };
        let class_of: HashMap<usize, usize> = self
            .classes
            .iter()
            .enumerate()
            .map(|(k, class)| (class.option, k))
            .collect();
        let offer_of: HashMap<usize, usize> = self
            .offers
            .iter()
            .enumerate()
            .flat_map(|(g, offer)| offer.classes.iter().map(move |&k| (k, g)))
            .collect();
        let mut taught = std::collections::HashSet::new();
        for (option, teacher, needs) in plan {
            let Some(&k) = class_of.get(option) else {
                continue; // the model dropped it, so no plan can have used it
            };
            set(self.classes[k].open, 1.0);
            let offer = &self.offers[offer_of[&k]];
            for &(candidate, var) in &offer.teachers {
                if candidate == *teacher {
                    set(var, 1.0);
                    taught.insert(var);
                }
            }
            for &(need, _, var) in &offer.joins {
                if needs.contains(&need) {
                    set(var, 1.0);
                }
            }
        }
        let mut slots_taught = std::collections::HashSet::new();
        for slot in &self.slots {
            if slot.members.iter().any(|var| taught.contains(var)) {
                set(slot.taught, 1.0);
                slots_taught.insert(slot.taught);
                if let Some(&(_, used)) = self
                    .optional
                    .iter()
                    .find(|(resource, _)| *resource == Resource::Teacher(slot.teacher))
                {
                    set(used, 1.0);
                }
            }
        }
        // A teacher's week is one of their patterns: the first that holds every format
        // they teach. Without it the start breaks the pattern rows, and HiGHS has to repair
        // it before it can use it.
        for week in &self.week_patterns {
            let formats: Vec<usize> = (0..week.formats.len())
                .filter(|&f| week.formats[f].iter().any(|var| slots_taught.contains(var)))
                .collect();
            if formats.is_empty() {
                continue;
            }
            if let Some((_, weight)) = week
                .patterns
                .iter()
                .find(|(pattern, _)| formats.iter().all(|f| pattern.contains(f)))
            {
                set(*weight, 1.0);
            }
        }
        let paid: HashMap<Resource, Variable> = self.optional.iter().copied().collect();
        for (option, _, _) in plan {
            for resource in class_resources(scenario, &candidates.options[*option]) {
                if let Some(&used) = paid.get(&resource) {
                    set(used, 1.0);
                }
            }
        }
        if let Some(share) = self.lowest_share {
            let mut needs = vec![0usize; scenario.municipalities.len()];
            let mut placed = vec![0usize; scenario.municipalities.len()];
            for need in &candidates.needs {
                needs[scenario.learner(need.learner).municipality.0] += 1;
            }
            for (_, _, joined) in plan {
                for &need in joined {
                    placed[scenario
                        .learner(candidates.needs[need].learner)
                        .municipality
                        .0] += 1;
                }
            }
            let lowest = needs
                .iter()
                .zip(&placed)
                .filter(|(needs, _)| **needs > 0)
                .map(|(&needs, &placed)| placed as f64 / needs as f64)
                .fold(1.0, f64::min);
            set(share, lowest);
        }
        start
    }

    /// Hands the model to a solver backend with all constraints and the objective, and
    /// keeps the decisions to read the solution back with [`chosen_classes`].
    pub fn into_problem<S, M>(self, solver: S) -> (M, Decisions)
    where
        S: good_lp::solvers::Solver<Model = M>,
        M: SolverModel,
    {
        let mut problem = self.variables.maximise(self.objective).using(solver);
        for row in self.constraints {
            problem.add_constraint(row);
        }
        let decisions = Decisions {
            classes: self.classes,
            offers: self.offers,
        };
        (problem, decisions)
    }
}

/// A formulation's rows, objective and column bounds, to prove a bound from any row
/// multipliers (Lagrangian duality): for multipliers `y`, nonnegative on the `<=` rows,
/// every plan's objective is at most `c0 - y·k + sum_j max(d_j l_j, d_j u_j)` with the
/// reduced costs `d = c - Aᵀy`. The bound holds whatever the multipliers, so a
/// solve stopped early still gives a proven bound, only a weaker one.
pub struct DualBound {
    /// Each row as good_lp keeps it: `terms · x + constant <= 0`, or `== 0`.
    rows: Vec<BoundRow>,
    /// The objective's factor per column.
    objective: Vec<f64>,
    objective_constant: f64,
    /// Each column's bounds.
    lower: Vec<f64>,
    upper: Vec<f64>,
}

/// One row of a [`DualBound`].
struct BoundRow {
    terms: Vec<(usize, f64)>,
    constant: f64,
    equality: bool,
}

impl DualBound {
    /// The bound from HiGHS's row duals, one per row in the order the rows were added.
    /// HiGHS gives `>=` rows with the opposite sign to the `<=` form kept here, and the sign
    /// of its duals depends on the objective's sense, but the right multiplier of a `<=`
    /// row is never negative: each one is taken as the dual's magnitude, and the equality
    /// rows with either sign, keeping the lower of the two bounds. `None` when the duals do
    /// not match the rows or give no finite bound.
    pub fn bound(&self, duals: &[f64]) -> Option<f64> {
        if duals.len() != self.rows.len() {
            return None;
        }
        [1.0, -1.0]
            .into_iter()
            .filter_map(|sign: f64| {
                self.bound_with(
                    |row, dual| {
                        if row.equality {
                            sign * dual
                        } else {
                            dual.abs()
                        }
                    },
                    duals,
                )
            })
            .min_by(f64::total_cmp)
    }

    /// The bound for the multipliers `multiplier(row, dual)`; `None` when it is not finite.
    fn bound_with(&self, multiplier: impl Fn(&BoundRow, f64) -> f64, duals: &[f64]) -> Option<f64> {
        let mut reduced = self.objective.clone();
        let mut bound = self.objective_constant;
        for (row, &dual) in self.rows.iter().zip(duals) {
            let y = multiplier(row, dual);
            if y == 0.0 {
                continue;
            }
            bound -= y * row.constant;
            for &(column, factor) in &row.terms {
                reduced[column] -= y * factor;
            }
        }
        for ((&d, &lower), &upper) in reduced.iter().zip(&self.lower).zip(&self.upper) {
            if d > 0.0 {
                bound += d * upper;
            } else if d < 0.0 {
                bound += d * lower;
            }
        }
        // Rounding in the sums above is far below this.
        bound
            .is_finite()
            .then(|| bound + 1e-9 * bound.abs().max(1.0))
    }
}

/// Creates the variables of the classes that can open and of the offers learners can
/// join: an open variable and a binary per candidate teacher for each class, and a join
/// binary per eligible need for each offer. Offers that could never reach their minimum
/// size get no variables.
fn decision_variables(
    variables: &mut ProblemVariables,
    scenario: &Scenario,
    candidates: &Candidates,
) -> (Vec<ClassVars>, Vec<OfferVars>) {
    // Offers in order of their first class option; their options in scenario order.
    let mut offer_of_key: HashMap<(CourseId, FormatId, VenueId), usize> = HashMap::new();
    let mut offer_options: Vec<Vec<usize>> = Vec::new();
    let mut offer_of_option: Vec<Option<usize>> = vec![None; candidates.options.len()];
    for (index, option) in candidates.options.iter().enumerate() {
        if option.teachers.is_empty() {
            continue;
        }
        let key = (option.course, option.format, option.room.venue);
        let offer = *offer_of_key.entry(key).or_insert_with(|| {
            offer_options.push(Vec::new());
            offer_options.len() - 1
        });
        offer_options[offer].push(index);
        offer_of_option[index] = Some(offer);
    }
    // Every room of a venue is eligible for the same needs at the same travel, so the
    // first eligible room of each offer stands for them all.
    let mut joiners: Vec<Vec<(usize, u32)>> = vec![Vec::new(); offer_options.len()];
    for (need, eligible) in candidates.eligible.iter().enumerate() {
        for e in eligible {
            if let Some(offer) = offer_of_option[e.option]
                && joiners[offer].last().is_none_or(|&(last, _)| last != need)
            {
                joiners[offer].push((need, e.travel));
            }
        }
    }
    let mut classes = Vec::new();
    let mut offers = Vec::new();
    for (options, joiners) in offer_options.into_iter().zip(joiners) {
        let course = candidates.options[options[0]].course;
        let min_size = scenario.course(course).min_size;
        if joiners.len() < min_size.max(1) as usize {
            continue;
        }
        // Rooms of one offer have the same candidate teachers, except in a neighbourhood
        // where each kept class keeps only its own; the offer may draw on all of them.
        let teacher_ids: BTreeSet<TeacherId> = options
            .iter()
            .flat_map(|&option| candidates.options[option].teachers.iter().copied())
            .collect();
        let teachers: Vec<(TeacherId, Variable)> = teacher_ids
            .into_iter()
            .map(|teacher| (teacher, variables.add(variable().binary())))
            .collect();
        let first_class = classes.len();
        for &option in &options {
            let open = match (options.as_slice(), teachers.as_slice()) {
                ([_], [(_, only)]) => *only,
                _ => variables.add(variable().binary()),
            };
            classes.push(ClassVars { option, open });
        }
        let joins = joiners
            .into_iter()
            .map(|(need, travel)| (need, travel, variables.add(variable().binary())))
            .collect();
        offers.push(OfferVars {
            classes: (first_class..classes.len()).collect(),
            teachers,
            min_size,
            joins,
        });
    }
    (classes, offers)
}

/// The optional room and opening hours a class option needs.
pub(crate) fn class_resources(scenario: &Scenario, option: &ClassOption) -> Vec<Resource> {
    let mut resources: Vec<Resource> = option
        .optional_hours
        .iter()
        .map(|&k| Resource::Hours(option.room.venue, k))
        .collect();
    if scenario.room(option.room).optional_cost.is_some() {
        resources.push(Resource::Room(option.room));
    }
    resources
}

/// Every (optional resource, index into `classes`) where the class could use the resource:
/// its room when optional and the optional hours it needs; and the optional teacher
/// candidates of each offer, once, with the offer's first class.
fn optional_resources(
    scenario: &Scenario,
    candidates: &Candidates,
    classes: &[ClassVars],
    offers: &[OfferVars],
) -> Vec<(Resource, usize)> {
    let mut uses = Vec::new();
    for offer in offers {
        for &k in &offer.classes {
            let option = &candidates.options[classes[k].option];
            for resource in class_resources(scenario, option) {
                uses.push((resource, k));
            }
        }
        // A teacher is used by the offer, whichever room: its first class stands for it.
        for &(teacher, _) in &offer.teachers {
            if scenario.teacher(teacher).optional_cost.is_some() {
                uses.push((Resource::Teacher(teacher), offer.classes[0]));
            }
        }
    }
    uses
}

/// Groups every teacher's candidate offers by (municipality, format) into slots, with a
/// variable for each group of more than one offer.
fn teacher_slots(
    variables: &mut ProblemVariables,
    scenario: &Scenario,
    candidates: &Candidates,
    classes: &[ClassVars],
    offers: &[OfferVars],
) -> Vec<TeacherSlot> {
    let mut groups: BTreeMap<(TeacherId, MunicipalityId, FormatId), (usize, Vec<Variable>)> =
        BTreeMap::new();
    for offer in offers {
        let option_index = classes[offer.classes[0]].option;
        let option = &candidates.options[option_index];
        let municipality = scenario.venue(option.room.venue).municipality;
        for &(teacher, var) in &offer.teachers {
            groups
                .entry((teacher, municipality, option.format))
                .or_insert_with(|| (option_index, Vec::new()))
                .1
                .push(var);
        }
    }
    groups
        .into_iter()
        .map(|((teacher, _, _), (option, members))| {
            // Binary in any solution, since it equals a sum of binaries of which rule 5
            // allows at most one; continuous so HiGHS does not branch on it.
            let taught = match members.as_slice() {
                [only] => *only,
                _ => variables.add(variable().min(0.0).max(1.0)),
            };
            TeacherSlot {
                teacher,
                option,
                taught,
                members,
            }
        })
        .collect()
}

/// The most weekly patterns per teacher for which [`Formulation`] adds pattern weights.
const MAX_WEEK_PATTERNS: usize = 64;

/// The maximal sets of items (hours, sessions) that pairwise do not overlap and whose hours
/// add up to at most `max_hours`, as sorted index lists; `None` when there are more than
/// [`MAX_WEEK_PATTERNS`].
fn week_patterns(items: &[(f64, &[Interval])], max_hours: f64) -> Option<Vec<Vec<usize>>> {
    fn extend(
        items: &[(f64, &[Interval])],
        max_hours: f64,
        next: usize,
        chosen: &mut Vec<usize>,
        hours: f64,
        found: &mut Vec<Vec<usize>>,
    ) -> bool {
        let fits = |k: usize| {
            hours + items[k].0 <= max_hours + 1e-9
                && chosen
                    .iter()
                    .all(|&c| !sessions_clash(items[c].1, items[k].1, 0))
        };
        if next == items.len() {
            // Maximal: no item left out could still be added.
            if (0..items.len()).all(|k| chosen.contains(&k) || !fits(k)) {
                found.push(chosen.clone());
            }
            return found.len() <= MAX_WEEK_PATTERNS;
        }
        if fits(next) {
            chosen.push(next);
            let more = extend(
                items,
                max_hours,
                next + 1,
                chosen,
                hours + items[next].0,
                found,
            );
            chosen.pop();
            if !more {
                return false;
            }
        }
        extend(items, max_hours, next + 1, chosen, hours, found)
    }
    // The search visits up to 2^n sets; beyond 20 formats a teacher keeps the plain rows.
    if items.len() > 20 {
        return None;
    }
    let mut found = Vec::new();
    extend(items, max_hours, 0, &mut Vec::new(), 0.0, &mut found).then_some(found)
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

/// The open classes of an offer in a solution, each as (class option, teacher): the
/// offer's chosen teachers paired with its open rooms.
///
/// Each room takes the first free chosen teacher it accepts, rooms with the fewest such
/// teachers first. Rooms of an offer accept the same teachers, except kept classes in a
/// neighbourhood, which accept their own teacher only, so this pairs every open room.
fn pair_teachers_with_rooms(
    formulation: &Decisions,
    candidates: &Candidates,
    offer: &OfferVars,
    value: &impl Fn(Variable) -> f64,
) -> Vec<(usize, TeacherId)> {
    let mut teachers: Vec<TeacherId> = offer
        .teachers
        .iter()
        .filter(|(_, var)| value(*var) > 0.5)
        .map(|&(teacher, _)| teacher)
        .collect();
    let mut rooms: Vec<usize> = offer
        .classes
        .iter()
        .map(|&k| &formulation.classes[k])
        .filter(|class| value(class.open) > 0.5)
        .map(|class| class.option)
        .collect();
    let accepted = |option: usize, teachers: &[TeacherId]| {
        let accepts = &candidates.options[option].teachers;
        teachers.iter().filter(|t| accepts.contains(t)).count()
    };
    rooms.sort_by_key(|&option| accepted(option, &teachers));
    let mut paired = Vec::with_capacity(rooms.len());
    for option in rooms {
        let accepts = &candidates.options[option].teachers;
        if let Some(position) = teachers.iter().position(|t| accepts.contains(t)) {
            paired.push((option, teachers.remove(position)));
        }
    }
    // Scenario order of the rooms, as the learners are shared out in that order.
    paired.sort_by_key(|&(option, _)| option);
    paired
}

/// Reads the chosen classes out of a solution: for every opened class, the class option,
/// the teacher and the indices of the needs that join it.
///
/// The learners of an offer are shared out over its open classes: each first gets the
/// course's minimum, then the classes fill up to capacity in turn.
pub fn chosen_classes(
    formulation: &Decisions,
    candidates: &Candidates,
    value: impl Fn(Variable) -> f64,
) -> Vec<(usize, TeacherId, Vec<usize>)> {
    let mut chosen = Vec::new();
    for offer in &formulation.offers {
        let open = pair_teachers_with_rooms(formulation, candidates, offer, &value);
        if open.is_empty() {
            continue;
        }
        let mut joined = offer
            .joins
            .iter()
            .filter(|(_, _, var)| value(*var) > 0.5)
            .map(|&(need, _, _)| need);
        let mut members: Vec<Vec<usize>> = open
            .iter()
            .map(|_| joined.by_ref().take(offer.min_size as usize).collect())
            .collect();
        for ((option, _), members) in open.iter().zip(&mut members) {
            let room = candidates.options[*option].capacity as usize;
            members.extend(joined.by_ref().take(room.saturating_sub(members.len())));
        }
        for ((option, teacher), members) in open.into_iter().zip(members) {
            chosen.push((option, teacher, members));
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Session;

    fn sessions(texts: &[&str]) -> Vec<Interval> {
        texts
            .iter()
            .map(|text| Session::parse(text).expect("a session").interval())
            .collect()
    }

    #[test]
    fn week_patterns_are_the_largest_sets_that_fit_hours_and_do_not_overlap() {
        let day4 = sessions(&[
            "mon 09:00-12:00",
            "tue 09:00-12:00",
            "thu 09:00-12:00",
            "fri 09:00-12:00",
        ]);
        let day2 = sessions(&["tue 09:00-12:00", "thu 09:00-12:00"]);
        let afternoon = sessions(&["mon 13:00-16:00", "wed 13:00-16:00"]);
        let evening = sessions(&["mon 18:30-21:30", "thu 18:30-21:30"]);
        let saturday = sessions(&["sat 09:00-13:00"]);
        let items: Vec<(f64, &[Interval])> = vec![
            (12.0, &day4),
            (6.0, &day2),
            (6.0, &afternoon),
            (6.0, &evening),
            (4.0, &saturday),
        ];
        let mut patterns = week_patterns(&items, 15.0).expect("few patterns");
        patterns.sort();
        // The 12-hour day class leaves no room for the 4-hour Saturday within 15 hours,
        // and the 4-day and 2-day mornings overlap.
        let expected = vec![
            vec![0],
            vec![1, 2],
            vec![1, 3],
            vec![1, 4],
            vec![2, 3],
            vec![2, 4],
            vec![3, 4],
        ];
        assert_eq!(patterns, expected);
        // With 40 hours every format but one of the two mornings fits at once.
        let mut roomy = week_patterns(&items, 40.0).expect("few patterns");
        roomy.sort();
        assert_eq!(roomy, vec![vec![0, 2, 3, 4], vec![1, 2, 3, 4]]);
    }

    #[test]
    fn too_many_week_patterns_leave_the_plain_rows() {
        // 16 three-hour formats on different evenings and days, 24 hours: C(16, 8) patterns.
        let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let all: Vec<Vec<Interval>> = (0..16)
            .map(|k| {
                let day = days[k % 7];
                let start = 8 + 3 * (k / 7);
                sessions(&[&format!("{day} {start:02}:00-{:02}:00", start + 3)])
            })
            .collect();
        let items: Vec<(f64, &[Interval])> = all.iter().map(|s| (3.0, s.as_slice())).collect();
        assert_eq!(week_patterns(&items, 24.0), None);
    }

    /// Any multipliers, nonnegative on the `<=` rows and of either sign on the equalities,
    /// give a bound no plan exceeds; HiGHS's duals give one at the relaxation.
    #[test]
    fn every_set_of_multipliers_bounds_the_optimum_and_the_duals_meet_the_relaxation() {
        let (scenario, candidates) = crate::testing::kina();
        let settings = crate::solve::SolveSettings {
            engine: crate::solve::Engine::Highs,
            threads: Some(1),
            seed: Some(1),
            gap: Some(0.0),
            ..crate::solve::SolveSettings::default()
        };
        let optimal = crate::solve::solve(&scenario, &settings).expect("kina solves");
        let violations = crate::verify::verify(&scenario, &optimal.timetable);
        assert!(violations.is_empty(), "{violations:?}");
        let optimum = optimal.timetable.solver.objective;
        assert!(optimum > 0.0);

        let bounding = Formulation::new(&scenario, &candidates).dual_bound();
        // A fixed xorshift stream, so that a failure can be replayed.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut uniform = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        for scale in [0.0, 0.01, 1.0, 100.0, 10_000.0, 1e6] {
            let multipliers: Vec<f64> = bounding
                .rows
                .iter()
                .map(|row| {
                    let y = scale * uniform();
                    if row.equality && uniform() < 0.5 {
                        -y
                    } else {
                        y
                    }
                })
                .collect();
            let bound = bounding
                .bound_with(|_, y| y, &multipliers)
                .expect("kina's columns are bounded");
            assert!(
                bound >= optimum * (1.0 - 1e-9),
                "multipliers of scale {scale} give {bound}, below the optimum {optimum}"
            );
        }

        let relaxation = crate::solve::relaxation_bound(&scenario, &candidates, &settings)
            .expect("the relaxation solves");
        assert!(relaxation >= optimum * (1.0 - 1e-9));
        // The bound from the duals is the relaxation's value, not a loose one: within the
        // few per cent between kina's relaxation and its optimum.
        assert!(
            relaxation <= optimum * 1.05,
            "relaxation bound {relaxation} against the optimum {optimum}"
        );
    }

    /// The start built from a valid plan meets every row and column bound of the
    /// formulation, the week patterns included, so HiGHS can take it as it is.
    #[test]
    fn the_start_from_a_plan_meets_every_row() {
        let (scenario, candidates) = crate::testing::kina();
        let settings = crate::solve::SolveSettings {
            threads: Some(1),
            seed: Some(1),
            ..crate::solve::SolveSettings::default()
        };
        let attempt = crate::solve::highs_attempt(
            &scenario,
            &candidates,
            &settings,
            Formulation::new(&scenario, &candidates),
            None,
            crate::solve::Run::region(std::time::Instant::now(), 60.0),
        )
        .expect("kina solves");
        let crate::solve::Outcome::Solved {
            timetable, plan, ..
        } = attempt.outcome
        else {
            panic!("kina has a timetable");
        };
        let violations = crate::verify::verify(&scenario, &timetable);
        assert!(violations.is_empty(), "{violations:?}");
        assert!(!plan.is_empty());

        let formulation = Formulation::new(&scenario, &candidates);
        let columns = formulation.columns();
        let start = formulation.start_values(
            &scenario,
            &candidates,
            &plan,
            |var| columns.get(&var).copied(),
            columns.len(),
        );
        // The plan puts some teacher with several week patterns to work, so the pattern
        // weights matter here.
        let weighted = formulation.week_patterns.iter().any(|week| {
            week.formats
                .iter()
                .flatten()
                .any(|taught| start[columns[taught]] == 1.0)
        });
        assert!(
            weighted,
            "no week pattern in use: the test would prove nothing"
        );
        let value = |expression: &Expression| {
            expression
                .linear_coefficients()
                .map(|(variable, factor)| factor * start[columns[&variable]])
                .sum::<f64>()
                + expression.constant()
        };
        for (k, row) in formulation.constraints.iter().enumerate() {
            let lhs = value(row.expression());
            if row.is_equality() {
                assert!(lhs.abs() <= 1e-9, "row {k} is {lhs}, not 0");
            } else {
                assert!(lhs <= 1e-9, "row {k} is {lhs}, above 0");
            }
        }
        for (variable, definition) in formulation.variables.iter_variables_with_def() {
            let x = start[columns[&variable]];
            assert!(definition.get_min() <= x && x <= definition.get_max());
        }
    }
}
