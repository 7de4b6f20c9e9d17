//! What could possibly happen, before any choice is made: the class options a scenario
//! allows, the teachers who could take each, and the options each learner-need could join.
//!
//! The rules that concern one class or one learner at a time (SPEC rules 1, 2, 3's room
//! size, 5's availability, 7, 8 and 9) are applied here, so the formulation only ever sees
//! combinations that obey them. The same facts give the reasons for unplaced demand
//! (SPEC section 7).

use crate::domain::{
    CourseId, FormatId, LearnerId, Mode, RoomId, Scenario, TeacherId, Venue, VenueId,
    is_own_workplace,
};
use crate::time::{Interval, WeekSet};
use crate::timetable::Reason;

/// A class that could be opened: a course in a format in a room, before a teacher is chosen.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassOption {
    /// The course.
    pub course: CourseId,
    /// The weekly format.
    pub format: FormatId,
    /// The room (and so the venue).
    pub room: RoomId,
    /// Most learners the class can hold: `min(max_size, room capacity)`.
    pub capacity: u32,
    /// The sessions in minutes of the week.
    pub intervals: Vec<Interval>,
    /// The venue's optional hours the class needs (indices into
    /// [`Venue::optional_hours`](crate::domain::Venue::optional_hours)): the class can only
    /// be held if the plan pays for all of them.
    pub optional_hours: Vec<usize>,
    /// Teachers who teach the course, are available for every session and have the weekly
    /// hours for it.
    pub teachers: Vec<TeacherId>,
    /// Someone who teaches the course is available for every session, weekly hours aside:
    /// SPEC section 7's test for `no-teacher`.
    pub teacher_available: bool,
}

/// One course need of one learner.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Need {
    /// The learner.
    pub learner: LearnerId,
    /// The course needed.
    pub course: CourseId,
}

/// An option a need could join, with the learner's one-way travel time to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Eligible {
    /// Index into [`Candidates::options`].
    pub option: usize,
    /// One-way travel minutes of the learner to the option's venue.
    pub travel: u32,
}

/// Every usable class option and, per learner-need, the options it could join.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidates {
    /// Usable class options (SPEC rules 1–3 for the class alone), in scenario order.
    pub options: Vec<ClassOption>,
    /// Every learner-need, learners in scenario order, needs in the learner's order.
    pub needs: Vec<Need>,
    /// For each need, the options with a teacher that it may join (rules 7, 8, 9).
    pub eligible: Vec<Vec<Eligible>>,
    /// For each need, why it has no eligible option, or `Reason::Capacity` when it has some.
    pub reasons: Vec<Reason>,
}

impl Candidates {
    /// Enumerates options and eligibility for a scenario.
    pub fn new(scenario: &Scenario) -> Candidates {
        let options = usable_options(scenario);
        let shift_time: Vec<WeekSet> = scenario.shifts.iter().map(|s| s.any_week()).collect();
        let mut by_course: Vec<Vec<usize>> = vec![Vec::new(); scenario.courses.len()];
        for (index, option) in options.iter().enumerate() {
            by_course[option.course.0].push(index);
        }
        let mut needs = Vec::new();
        let mut eligible = Vec::new();
        let mut reasons = Vec::new();
        for (l, learner) in scenario.learners.iter().enumerate() {
            let learner_id = LearnerId(l);
            let work = learner.shift.map(|shift| &shift_time[shift.0]);
            for &course in &learner.needs {
                let need = Need {
                    learner: learner_id,
                    course,
                };
                let mut reason = Reason::OutOfReach;
                let mut joinable = Vec::new();
                for &index in &by_course[course.0] {
                    let option = &options[index];
                    let venue = scenario.venue(option.room.venue);
                    if venue.employer.is_some() && !is_own_workplace(learner, venue) {
                        continue; // rule 9: another employer's workplace
                    }
                    let travel = scenario.learner_travel(learner_id, option.room.venue);
                    if travel > learner.max_travel {
                        continue; // rule 7
                    }
                    reason = reason.max(Reason::NoCompatibleTime);
                    let work = work.filter(|_| !is_own_workplace(learner, venue));
                    if !attendable(&option.intervals, travel, &learner.unavailable, work) {
                        continue; // rule 8
                    }
                    reason = reason.max(Reason::NoTeacher);
                    if !option.teacher_available {
                        continue; // rule 5: nobody qualified is free at those times
                    }
                    reason = Reason::Capacity;
                    if !option.teachers.is_empty() {
                        joinable.push(Eligible {
                            option: index,
                            travel,
                        });
                    }
                }
                needs.push(need);
                eligible.push(joinable);
                reasons.push(reason);
            }
        }
        Candidates {
            options,
            needs,
            eligible,
            reasons,
        }
    }

    /// The size of the whole program, cheaply: its join decisions, one per learner-need and
    /// offer (a course in a format at a venue) the need could join. The model has a join
    /// variable for each (less those of offers too few could join to open), and most of its
    /// variables and rows grow with them.
    pub fn join_decisions(&self) -> usize {
        self.eligible
            .iter()
            .map(|eligible| {
                let offers: std::collections::HashSet<(VenueId, FormatId)> = eligible
                    .iter()
                    .map(|e| {
                        let option = &self.options[e.option];
                        (option.room.venue, option.format)
                    })
                    .collect();
                offers.len()
            })
            .sum()
    }

    /// The candidates of a neighbourhood, for re-planning part of a plan: the options (by
    /// index) for which `free` holds keep all their teachers, each `kept` class (option,
    /// teacher, its needs) keeps only its teacher, and every other option loses its
    /// teachers, so the formulation leaves it out.
    ///
    /// A need that could join a free option, or that sits in a class being re-planned, may
    /// join any option that keeps a teacher; every other need may only stay in the kept
    /// class it sits in. Indices of options and needs stay as they were.
    pub fn restricted(
        &self,
        free: impl Fn(usize) -> bool,
        kept: &[(usize, TeacherId, Vec<usize>)],
    ) -> Candidates {
        let mut options = self.options.clone();
        let is_free: Vec<bool> = (0..options.len()).map(free).collect();
        for (option, free) in options.iter_mut().zip(&is_free) {
            if !free {
                option.teachers.clear();
            }
        }
        let mut kept_in: Vec<Option<usize>> = vec![None; self.needs.len()];
        for (index, teacher, needs) in kept {
            options[*index].teachers = vec![*teacher];
            for &need in needs {
                kept_in[need] = Some(*index);
            }
        }
        let eligible = self
            .eligible
            .iter()
            .zip(&kept_in)
            .map(|(joinable, kept_in)| {
                let moves = kept_in.is_none() || joinable.iter().any(|e| is_free[e.option]);
                joinable
                    .iter()
                    .filter(|e| {
                        if moves {
                            !options[e.option].teachers.is_empty()
                        } else {
                            Some(e.option) == *kept_in
                        }
                    })
                    .copied()
                    .collect()
            })
            .collect();
        Candidates {
            options,
            needs: self.needs.clone(),
            eligible,
            reasons: self.reasons.clone(),
        }
    }
}

/// Every (course, format, room) with the format in the course's list and fitting the term
/// (rule 1), every session inside the venue's open hours (rule 2), and a room that can seat
/// the course's minimum class size (rule 3); with the teachers who could take it (rule 5).
pub fn usable_options(scenario: &Scenario) -> Vec<ClassOption> {
    let mut options = Vec::new();
    for (c, course) in scenario.courses.iter().enumerate() {
        let course_id = CourseId(c);
        for &format_id in &course.formats {
            if !scenario.format_fits(course_id, format_id) {
                continue;
            }
            let format = scenario.format(format_id);
            let intervals: Vec<Interval> = format.intervals().collect();
            let weekly_hours = format.weekly_hours();
            for room_id in scenario.rooms() {
                let venue = scenario.venue(room_id.venue);
                let capacity = course.max_size.min(scenario.room(room_id).capacity);
                if capacity < course.min_size {
                    continue;
                }
                let Some(optional_hours) = hours_needed(venue, &intervals) else {
                    continue;
                };
                let available: Vec<TeacherId> = scenario
                    .teachers
                    .iter()
                    .enumerate()
                    .filter(|(_, teacher)| {
                        teacher.teaches.contains(&course_id)
                            && intervals.iter().all(|i| teacher.available.contains(i))
                    })
                    .map(|(t, _)| TeacherId(t))
                    .collect();
                let teachers = available
                    .iter()
                    .copied()
                    .filter(|&t| weekly_hours <= scenario.teacher(t).max_hours + 1e-9)
                    .collect();
                options.push(ClassOption {
                    course: course_id,
                    format: format_id,
                    room: room_id,
                    capacity,
                    intervals: intervals.clone(),
                    optional_hours,
                    teachers,
                    teacher_available: !available.is_empty(),
                });
            }
        }
    }
    options
}

/// Rule 2 with optional hours: `Some` of the optional hours (indices) the sessions need
/// when every session lies inside the venue's open hours together with them, `None` when
/// the venue cannot hold the sessions at all. A session needs every optional entry that
/// covers part of it outside the regular hours.
pub fn hours_needed(venue: &Venue, sessions: &[Interval]) -> Option<Vec<usize>> {
    let mut needed: Vec<usize> = Vec::new();
    for session in sessions {
        if venue.open.contains(session) {
            continue;
        }
        let mut open = venue.open.clone();
        for (k, hours) in venue.optional_hours.iter().enumerate() {
            if hours.open.overlaps(session) {
                open = open.union(&hours.open);
                if !needed.contains(&k) {
                    needed.push(k);
                }
            }
        }
        if !open.contains(session) {
            return None;
        }
    }
    needed.sort_unstable();
    Some(needed)
}

/// Rule 8: every session, widened by the travel time on both sides, misses the learner's
/// unavailable times and, when `work` is given, every week of the learner's shift.
pub fn attendable(
    sessions: &[Interval],
    travel: u32,
    unavailable: &WeekSet,
    work: Option<&WeekSet>,
) -> bool {
    sessions.iter().all(|session| {
        session.widened(travel, travel).iter().all(|piece| {
            !unavailable.overlaps(piece) && !work.is_some_and(|work| work.overlaps(piece))
        })
    })
}

/// True when two sets of sessions clash for someone who travels between them: they overlap,
/// or two sessions on the same day leave less than `travel_minutes` between them. Pass a
/// travel time of 0 for two classes at the same municipality.
pub fn sessions_clash(first: &[Interval], second: &[Interval], travel_minutes: u32) -> bool {
    first.iter().any(|a| {
        second.iter().any(|b| {
            if a.overlaps(b) {
                return true;
            }
            let same_day =
                a.start / crate::time::MINUTES_PER_DAY == b.start / crate::time::MINUTES_PER_DAY;
            let gap = if a.end <= b.start {
                b.start - a.end
            } else {
                a.start.saturating_sub(b.end)
            };
            same_day && gap < travel_minutes
        })
    })
}

/// The fewest travel minutes between two sets of sessions from which they clash in the
/// sense of [`sessions_clash`]: 0 when they overlap, one more than the shortest gap between
/// two sessions on the same day, and `u32::MAX` when no two meet on the same day. Worked
/// out once per pair of weekly schedules, it turns a clash check into one comparison.
pub(crate) fn clash_from(first: &[Interval], second: &[Interval]) -> u32 {
    let mut from = u32::MAX;
    for a in first {
        for b in second {
            if a.overlaps(b) {
                return 0;
            }
            if a.start / crate::time::MINUTES_PER_DAY == b.start / crate::time::MINUTES_PER_DAY {
                let gap = if a.end <= b.start {
                    b.start - a.end
                } else {
                    a.start - b.end
                };
                from = from.min(gap + 1);
            }
        }
    }
    from
}

/// Minutes needed between sessions of two options: travel between their venues'
/// municipalities, or 0 within one municipality (rules 5 and 10 ask for travel time only
/// between different municipalities).
pub fn travel_between(scenario: &Scenario, a: &ClassOption, b: &ClassOption, mode: Mode) -> u32 {
    let from = scenario.venue(a.room.venue).municipality;
    let to = scenario.venue(b.room.venue).municipality;
    if from == to {
        0
    } else {
        scenario.travel(from, to, mode)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::tiny;

    #[test]
    fn a_neighbourhood_frees_its_options_keeps_kept_classes_and_pins_the_rest() {
        let (_, candidates) = tiny();
        let (kept_option, option) = candidates
            .options
            .iter()
            .enumerate()
            .find(|(_, o)| !o.teachers.is_empty())
            .expect("tiny has options with teachers");
        let teacher = option.teachers[0];
        // Free every option of the other courses: the kept class's own learners cannot
        // reach any of them, so they stay pinned to it.
        let kept_course = option.course;
        let free = |o: &ClassOption| o.course != kept_course;
        let kept_needs: Vec<usize> = (0..candidates.needs.len())
            .filter(|&n| {
                candidates.eligible[n]
                    .iter()
                    .any(|e| e.option == kept_option)
            })
            .collect();
        assert!(!kept_needs.is_empty());
        let kept = vec![(kept_option, teacher, kept_needs.clone())];
        let restricted = candidates.restricted(|index| free(&candidates.options[index]), &kept);

        assert_eq!(restricted.needs, candidates.needs);
        let mut freed = 0;
        for (index, (before, after)) in candidates
            .options
            .iter()
            .zip(&restricted.options)
            .enumerate()
        {
            if index == kept_option {
                assert_eq!(after.teachers, vec![teacher]);
            } else if free(before) {
                freed += usize::from(!before.teachers.is_empty());
                assert_eq!(after.teachers, before.teachers);
            } else {
                assert!(
                    after.teachers.is_empty(),
                    "option {index} is neither free nor kept"
                );
            }
        }
        assert!(freed > 0, "the test needs free options with teachers");
        let mut moving = 0;
        for (need, (before, after)) in candidates
            .eligible
            .iter()
            .zip(&restricted.eligible)
            .enumerate()
        {
            if kept_needs.contains(&need) {
                let options: Vec<usize> = after.iter().map(|e| e.option).collect();
                assert_eq!(
                    options,
                    vec![kept_option],
                    "need {need} stays in its kept class"
                );
            } else {
                let open: Vec<Eligible> = before
                    .iter()
                    .filter(|e| !restricted.options[e.option].teachers.is_empty())
                    .copied()
                    .collect();
                moving += usize::from(!open.is_empty());
                assert_eq!(*after, open, "need {need} may join every option still open");
            }
        }
        assert!(moving > 0, "the test needs needs that may move");
    }

    proptest::proptest! {
        /// One lookup must answer exactly as the session-by-session check it replaces.
        #[test]
        fn the_clash_threshold_agrees_with_the_session_check(
            first in proptest::collection::vec((0u32..7, 0u32..1380, 1u32..240), 1..4),
            second in proptest::collection::vec((0u32..7, 0u32..1380, 1u32..240), 1..4),
        ) {
            let sessions = |raw: &[(u32, u32, u32)]| -> Vec<Interval> {
                raw.iter()
                    .map(|&(day, start, length)| {
                        let start = day * crate::time::MINUTES_PER_DAY + start;
                        let end = (start + length).min((day + 1) * crate::time::MINUTES_PER_DAY);
                        Interval { start, end }
                    })
                    .collect()
            };
            let (first, second) = (sessions(&first), sessions(&second));
            let from = clash_from(&first, &second);
            for travel in 0..=crate::time::MINUTES_PER_DAY {
                proptest::prop_assert_eq!(
                    travel >= from,
                    sessions_clash(&first, &second, travel),
                    "travel {}", travel
                );
            }
        }
    }
}
