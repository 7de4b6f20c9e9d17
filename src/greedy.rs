//! A greedy planner that fills classes the way a planner with a spreadsheet would: open the
//! class that the most waiting learners could join, fill it, repeat. It is the baseline the
//! optimiser is measured against, and a quick first timetable to start the solver from.
//! It uses only the resources the agency has: optional teachers, rooms and hours are left
//! to the optimiser.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::candidates::{Candidates, sessions_clash, travel_between};
use crate::domain::{Mode, Scenario, TeacherId};
use crate::plan::PlannedClass;

/// A class the greedy planner opened: the option, the teacher and the needs placed in it.
#[derive(Clone, Debug, PartialEq)]
pub struct GreedyClass {
    /// Index into [`Candidates::options`].
    pub option: usize,
    /// The teacher.
    pub teacher: TeacherId,
    /// Indices into [`Candidates::needs`].
    pub needs: Vec<usize>,
}

/// Plans greedily. Every class it opens obeys rules 1–11; it places no learner twice for a
/// need and never over the budget.
pub fn plan(scenario: &Scenario, candidates: &Candidates) -> Vec<GreedyClass> {
    let mut state = State::new(scenario, candidates);
    while let Some(best) = state.best_next_class() {
        state.open(best);
    }
    state.opened
}

/// The greedy plan as classes to write.
pub fn planned_classes(candidates: &Candidates, classes: &[GreedyClass]) -> Vec<PlannedClass> {
    classes
        .iter()
        .map(|class| {
            let option = &candidates.options[class.option];
            PlannedClass {
                course: option.course,
                format: option.format,
                room: option.room,
                teacher: class.teacher,
                learners: class
                    .needs
                    .iter()
                    .map(|&need| candidates.needs[need].learner)
                    .collect(),
            }
        })
        .collect()
}

struct State<'a> {
    scenario: &'a Scenario,
    candidates: &'a Candidates,
    /// Needs that may join each option.
    joiners: Vec<Vec<usize>>,
    /// Whether each need is placed.
    placed: Vec<bool>,
    /// Options not yet opened nor found impossible, by their last known learner count.
    queue: BinaryHeap<(usize, Reverse<usize>)>,
    /// Weekly hours each teacher already teaches.
    teacher_hours: Vec<f64>,
    /// Cost spent so far.
    spent: f64,
    /// Opened classes (indices into `opened`) per room, teacher and learner, so the clash
    /// checks look only at what concerns them.
    by_room: std::collections::HashMap<crate::domain::RoomId, Vec<usize>>,
    by_teacher: Vec<Vec<usize>>,
    by_learner: Vec<Vec<usize>>,
    opened: Vec<GreedyClass>,
}

/// A candidate move: open `option` with `teacher` for `needs`.
struct Move {
    option: usize,
    teacher: TeacherId,
    needs: Vec<usize>,
}

impl<'a> State<'a> {
    fn new(scenario: &'a Scenario, candidates: &'a Candidates) -> State<'a> {
        let mut joiners = vec![Vec::new(); candidates.options.len()];
        for (need, eligible) in candidates.eligible.iter().enumerate() {
            for e in eligible {
                joiners[e.option].push(need);
            }
        }
        State {
            scenario,
            candidates,
            joiners,
            placed: vec![false; candidates.needs.len()],
            queue: (0..candidates.options.len())
                .map(|option| (usize::MAX, Reverse(option)))
                .collect(),
            teacher_hours: vec![0.0; scenario.teachers.len()],
            spent: 0.0,
            by_room: Default::default(),
            by_teacher: vec![Vec::new(); scenario.teachers.len()],
            by_learner: vec![Vec::new(); scenario.learners.len()],
            opened: Vec::new(),
        }
    }

    /// The option that can take the most waiting learners now, with its cheapest free
    /// teacher; ties go to the earlier option.
    ///
    /// An option's count only ever falls (learners get placed or busy, rooms, teachers and
    /// budget get used up), so a count computed earlier is an upper bound: the options
    /// wait in a heap by their last count, and the first whose fresh count still equals
    /// its old one is the best now. This gives the same choice as recounting every option
    /// each round, at a fraction of the work.
    fn best_next_class(&mut self) -> Option<Move> {
        while let Some((count, Reverse(option))) = self.queue.pop() {
            let Some(next) = self.try_option(option) else {
                continue; // impossible now, and so for good
            };
            if next.needs.len() == count {
                return Some(next);
            }
            self.queue.push((next.needs.len(), Reverse(option)));
        }
        None
    }

    fn try_option(&self, index: usize) -> Option<Move> {
        let option = &self.candidates.options[index];
        let course = self.scenario.course(option.course);
        // A planner with a spreadsheet plans with what the agency has: optional rooms and
        // hours are left to the optimiser.
        if self.room_taken(index)
            || !option.optional_hours.is_empty()
            || self.scenario.room(option.room).optional_cost.is_some()
        {
            return None;
        }
        let mut needs: Vec<usize> = self.joiners[index]
            .iter()
            .copied()
            .filter(|&need| !self.placed[need] && !self.learner_busy(need, index))
            .collect();
        if needs.len() < course.min_size.max(1) as usize {
            return None;
        }
        // Higher priority first, then nearer, then file order.
        needs.sort_by(|&a, &b| {
            let (la, lb) = (
                self.scenario.learner(self.candidates.needs[a].learner),
                self.scenario.learner(self.candidates.needs[b].learner),
            );
            lb.priority
                .total_cmp(&la.priority)
                .then(self.travel(a, index).cmp(&self.travel(b, index)))
                .then(a.cmp(&b))
        });
        needs.truncate(option.capacity as usize);
        let hours = self.scenario.format(option.format).weekly_hours();
        let teacher = option
            .teachers
            .iter()
            .copied()
            .filter(|&t| self.scenario.teacher(t).optional_cost.is_none())
            .filter(|&t| self.teacher_free(t, index, hours))
            .filter(|&t| self.affordable(index, t))
            .min_by(|&a, &b| {
                let cost = |t| self.scenario.teacher_cost(option.course, option.format, t);
                cost(a).total_cmp(&cost(b)).then(a.cmp(&b))
            })?;
        Some(Move {
            option: index,
            teacher,
            needs,
        })
    }

    fn travel(&self, need: usize, option: usize) -> u32 {
        self.candidates.eligible[need]
            .iter()
            .find(|e| e.option == option)
            .map_or(0, |e| e.travel)
    }

    /// Rule 4: the room has a class at overlapping hours already.
    fn room_taken(&self, index: usize) -> bool {
        let option = &self.candidates.options[index];
        self.by_room.get(&option.room).is_some_and(|classes| {
            classes.iter().any(|&class| {
                let other = &self.candidates.options[self.opened[class].option];
                sessions_clash(&other.intervals, &option.intervals, 0)
            })
        })
    }

    /// Rule 5: the teacher is free at those hours, has the hours left, and can travel
    /// between venues in time.
    fn teacher_free(&self, teacher: TeacherId, index: usize, hours: f64) -> bool {
        if self.teacher_hours[teacher.0] + hours > self.scenario.teacher(teacher).max_hours + 1e-9 {
            return false;
        }
        let mode = self.scenario.teacher(teacher).mode;
        !self.by_teacher[teacher.0]
            .iter()
            .any(|&class| self.clash(self.opened[class].option, index, mode))
    }

    /// Rule 10: the learner of this need already has a class that clashes with the option.
    fn learner_busy(&self, need: usize, index: usize) -> bool {
        let learner = self.candidates.needs[need].learner;
        let mode = self.scenario.learner(learner).mode;
        self.by_learner[learner.0]
            .iter()
            .any(|&class| self.clash(self.opened[class].option, index, mode))
    }

    /// Two options clash for someone travelling by `mode` between them.
    fn clash(&self, a: usize, b: usize, mode: Mode) -> bool {
        let (a, b) = (&self.candidates.options[a], &self.candidates.options[b]);
        let travel = travel_between(self.scenario, a, b, mode);
        sessions_clash(&a.intervals, &b.intervals, travel)
    }

    /// Rule 11: the class fits in what is left of the budget.
    fn affordable(&self, index: usize, teacher: TeacherId) -> bool {
        let Some(max_cost) = self.scenario.max_cost else {
            return true;
        };
        self.spent + self.cost(index, teacher) <= max_cost + 1e-9 * max_cost.max(1.0)
    }

    fn cost(&self, index: usize, teacher: TeacherId) -> f64 {
        let option = &self.candidates.options[index];
        self.scenario
            .teacher_cost(option.course, option.format, teacher)
            + self
                .scenario
                .room_cost(option.course, option.format, option.room.venue)
    }

    fn open(&mut self, chosen: Move) {
        let option = &self.candidates.options[chosen.option];
        self.teacher_hours[chosen.teacher.0] += self.scenario.format(option.format).weekly_hours();
        self.spent += self.cost(chosen.option, chosen.teacher);
        for &need in &chosen.needs {
            self.placed[need] = true;
        }
        let class = self.opened.len();
        self.by_room.entry(option.room).or_default().push(class);
        self.by_teacher[chosen.teacher.0].push(class);
        for &need in &chosen.needs {
            self.by_learner[self.candidates.needs[need].learner.0].push(class);
        }
        self.opened.push(GreedyClass {
            option: chosen.option,
            teacher: chosen.teacher,
            needs: chosen.needs,
        });
    }
}
