//! Tests of verify: for every rule of SPEC sections 5–8, a timetable that breaks only that
//! rule, which `verify` rejects naming exactly that rule, and a valid twin it accepts.
//!
//! All cases start from `tests/fixtures/rules/scenario.toml` and its valid timetable
//! `valid.json`, and change one thing in either. Why `valid.json` is valid, by hand:
//!
//! Classes (every format is 2 hours a week and every course 20 hours, so 10 weeks: exactly the
//! term; cost per class: teacher 20 x 2 x 10 = 400, room 10 x 2 x 10 = 200, works 5 x 2 x 10 = 100):
//! - C1 nt2, eve (mon 18:00-20:00), hall-a/A, t1, learners L1 L2: 2 = nt2's min_size.
//! - C2 mo, aft (mon 15:00-17:00), hall-b/A, t1, learners L1 L8.
//! - C3 mo, tue (tue 10:00-12:00), works/R (acme's workplace), t2, learner L3 (acme).
//!
//! Rules:
//! 1. every format is one of its course's; rooms belong to their venues; t1 teaches nt2 and
//!    mo, t2 teaches mo.
//! 2. hall-a is open mon 08:00-21:00, hall-b until 22:00, works 06:00-22:00.
//! 3. sizes 2, 2, 1 within [2, 3], [1, 3] and [1, min(3, 2)].
//! 4. each room holds one class.
//! 5. t1: C2 ends 17:00 in bb, C1 starts 18:00 in aa: 60 minutes, exactly the car override;
//!    2 + 2 = 4 hours, exactly max_hours. t2 teaches only on Tuesday.
//! 6. L1 needs nt2 (C1) and mo (C2); L2 nt2; L8 mo; L3 mo.
//! 7. L1: hall-a 10 (public overhead), hall-b 30 (override), limit 90; L2: hall-a 10, exactly
//!    its limit; L8: hall-b 10 of 60; L3: 0 at its own workplace, of 15.
//! 8. L2's rotating shift is mon-fri 06:00-17:50 over both weeks; C1 with 10 minutes of
//!    travel is 17:50-20:10, which only touches it. L8 is unavailable mon 14:00-14:50; C2
//!    with travel is 14:50-17:10, which only touches it. L3 works mon-fri 08:00-16:00 but
//!    C3 is at its own employer's workplace. L1 is unavailable only on Saturday.
//! 9. works holds only L3, of acme.
//! 10. L1: C2 ends 17:00 in bb, C1 starts 18:00 in aa; public takes 30.
//! 11. 1200 + 500 = 1700 <= 3000.
//!
//! Objective: placed needs L1 x2 (priority 2), L2, L3, L8: serve 7; travel 10 + 30 + 10 +
//! 10 + 0 = 60; coverage aa 4 of 6, bb 1 of 3, min 1/3:
//! 1000 x 7 - 1200 - 500 - 60 + 100 / 3 = 5273.333...
//!
//! Reasons (nt2 can use eve and aft at hall-a (late ends after closing; short is 20 weeks),
//! eve, aft and late at hall-b; works is acme's only):
//! - L4 (bb, max_travel 5): hall-b takes 10, hall-a 30: out-of-reach.
//! - L5 (aa, works mon-fri 12:00-23:00): every nt2 option, travel included, falls in that
//!   span: no-compatible-time.
//! - L6 needs mo-ti, which nobody teaches; tue at hall-a is in reach and free: no-teacher.
//! - L7 (bb) could join a mo class at hall-b: capacity.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use roosteraar::domain::{Mode, Scenario};
use roosteraar::input::load_scenario;
use roosteraar::time::{Day, WeekSet, Window};
use roosteraar::timetable::{
    ClassEntry, MunicipalityCoverage, Reason, SessionEntry, Timetable, UnplacedNeed,
};
use roosteraar::verify::{Rule, Violation, verify};

fn fixture() -> (Scenario, Timetable) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let scenario = load_scenario(&dir.join("scenario.toml")).unwrap_or_else(|e| panic!("{e}"));
    let text = fs::read_to_string(dir.join("valid.json")).unwrap();
    let timetable = serde_json::from_str(&text).unwrap();
    (scenario, timetable)
}

fn list(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(|v| format!("\n  {v}"))
        .collect::<String>()
}

#[track_caller]
fn assert_valid(scenario: &Scenario, timetable: &Timetable) {
    let violations = verify(scenario, timetable);
    assert!(violations.is_empty(), "unexpected:{}", list(&violations));
}

/// Asserts that the violations name exactly `rule`, and returns them.
#[track_caller]
fn assert_only(rule: Rule, scenario: &Scenario, timetable: &Timetable) -> Vec<Violation> {
    let violations = verify(scenario, timetable);
    let rules: BTreeSet<Rule> = violations.iter().map(|v| v.rule).collect();
    assert_eq!(rules, BTreeSet::from([rule]), "{}", list(&violations));
    violations
}

fn class<'a>(timetable: &'a mut Timetable, id: &str) -> &'a mut ClassEntry {
    timetable.classes.iter_mut().find(|c| c.id == id).unwrap()
}

fn session(day: Day, start: &str, end: &str) -> Vec<SessionEntry> {
    vec![SessionEntry {
        day,
        start: start.to_string(),
        end: end.to_string(),
    }]
}

fn learners(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|id| id.to_string()).collect()
}

fn week(windows: &[&str]) -> WeekSet {
    let windows: Vec<Window> = windows.iter().map(|w| Window::parse(w).unwrap()).collect();
    WeekSet::from_windows(&windows)
}

fn learner_index(scenario: &Scenario, id: &str) -> usize {
    scenario.ids.learners[id].index()
}

/// Sets the measured aa-bb time for a mode.
fn set_aa_bb(scenario: &mut Scenario, mode: Mode, minutes: u32) {
    let (aa, bb) = (
        scenario.ids.municipalities["aa"],
        scenario.ids.municipalities["bb"],
    );
    scenario
        .travel
        .overrides
        .insert((aa.min(bb), aa.max(bb), mode), minutes);
}

fn drop_unplaced(timetable: &mut Timetable, learner: &str) {
    timetable.unplaced.retain(|u| u.learner != learner);
}

/// Rewrites the totals: placed needs, costs, travel, placed per municipality, objective.
fn set_totals(
    timetable: &mut Timetable,
    placed: u64,
    costs: (f64, f64),
    travel: u64,
    aa_bb_placed: (u64, u64),
    objective: f64,
) {
    let summary = &mut timetable.summary;
    summary.placed = placed;
    (summary.teacher_cost, summary.room_cost) = costs;
    summary.travel_minutes = travel;
    summary.by_municipality[0].placed = aa_bb_placed.0;
    summary.by_municipality[1].placed = aa_bb_placed.1;
    timetable.solver.objective = objective;
}

/// L7 joins C2 (hall-b, 10 minutes away), which is then full: 3 = max_size = capacity.
/// Placed 6, travel 70, bb 2 of 3, aa 4 of 6.
fn l7_in_c2() -> (Scenario, Timetable) {
    let (s, mut t) = fixture();
    class(&mut t, "C2").learners = learners(&["L1", "L8", "L7"]);
    drop_unplaced(&mut t, "L7");
    let objective = 8000.0 - 1700.0 - 70.0 + 100.0 * 2.0 / 3.0;
    set_totals(&mut t, 6, (1200.0, 500.0), 70, (4, 2), objective);
    (s, t)
}

/// A fourth class C4 (mo, eve, hall-a/`room`, t2) for L7, who lives in bb: 30 minutes away.
/// t2 now teaches C4 on Monday in aa and C3 on Tuesday: 4 of 10 hours. Costs +400 and +200,
/// total 2300 <= 3000; placed 6, travel 90, bb 2 of 3.
fn with_c4(room: &str) -> (Scenario, Timetable) {
    let (s, mut t) = fixture();
    let mut c4 = t.classes[0].clone();
    c4.id = "C4".to_string();
    c4.course = "mo".to_string();
    c4.room = room.to_string();
    c4.teacher = "t2".to_string();
    c4.learners = learners(&["L7"]);
    t.classes.push(c4);
    drop_unplaced(&mut t, "L7");
    let objective = 8000.0 - 1600.0 - 700.0 - 90.0 + 100.0 * 2.0 / 3.0;
    set_totals(&mut t, 6, (1600.0, 700.0), 90, (4, 2), objective);
    (s, t)
}

#[test]
fn the_base_timetable_is_valid() {
    let (s, t) = fixture();
    assert_valid(&s, &t);
}

#[test]
fn the_empty_timetable_is_valid() {
    // Nothing placed: every need unplaced with its reason; a need that had a class in the
    // base now has capacity as its reason (options with a teacher exist).
    let (s, mut t) = fixture();
    t.classes.clear();
    for (learner, course) in [("L1", "nt2"), ("L1", "mo"), ("L2", "nt2"), ("L3", "mo")] {
        t.unplaced.push(UnplacedNeed {
            learner: learner.to_string(),
            course: course.to_string(),
            reason: Reason::Capacity,
        });
    }
    t.unplaced.push(UnplacedNeed {
        learner: "L8".to_string(),
        course: "mo".to_string(),
        reason: Reason::Capacity,
    });
    // No cost, no travel, nobody placed: the fairness minimum is 0.
    set_totals(&mut t, 0, (0.0, 0.0), 0, (0, 0), 0.0);
    assert_valid(&s, &t);
}

// Rule 1: catalogue.

#[test]
fn rule_1_teacher_must_teach_the_course() {
    // Twin: t2 teaches mo, so it may take over C2 (mon 15:00-17:00 in bb, 2 more hours).
    let (s, mut t) = fixture();
    class(&mut t, "C2").teacher = "t2".to_string();
    assert_valid(&s, &t);
    // t2 does not teach nt2; everything else about C1 with t2 is fine (Monday in aa, Tuesday
    // at works, 4 of 10 hours, same cost per hour).
    let (s, mut t) = fixture();
    class(&mut t, "C1").teacher = "t2".to_string();
    let violations = assert_only(Rule::Catalogue, &s, &t);
    assert_eq!(violations.len(), 1);
    assert_eq!(
        violations[0].to_string(),
        "rule 1 (catalogue): class C1: teacher t2 does not teach course nt2"
    );
}

#[test]
fn rule_1_format_must_be_one_of_the_course() {
    // wed (wed 18:00-20:00) is a format of mo, not of nt2. On Wednesday C1 meets nothing:
    // hall-a and t1 are free, L2's work ends 17:50.
    let (s, mut t) = fixture();
    let c1 = class(&mut t, "C1");
    c1.format = "wed".to_string();
    c1.sessions = session(Day::Wed, "18:00", "20:00");
    c1.first_day = "2026-09-09".to_string();
    c1.last_day = "2026-11-11".to_string();
    let violations = assert_only(Rule::Catalogue, &s, &t);
    assert_eq!(violations.len(), 1);
    assert!(
        violations[0].message.contains("format wed"),
        "{}",
        list(&violations)
    );
}

#[test]
fn rule_1_format_must_fit_the_term() {
    // short is one hour a week: 20 weeks for nt2, the term has 10. Teacher and room cost
    // stay 400 and 200 (20 hours either way); t1 teaches 3 hours.
    let (s, mut t) = fixture();
    let c1 = class(&mut t, "C1");
    c1.format = "short".to_string();
    c1.weeks = 20;
    c1.sessions = session(Day::Mon, "18:00", "19:00");
    c1.last_day = "2027-01-18".to_string();
    let violations = assert_only(Rule::Catalogue, &s, &t);
    assert_eq!(violations.len(), 1);
    assert!(
        violations[0].message.contains("20 weeks"),
        "{}",
        list(&violations)
    );
}

#[test]
fn rule_1_room_must_belong_to_the_venue() {
    let (s, mut t) = fixture();
    class(&mut t, "C1").room = "R".to_string();
    let violations = assert_only(Rule::Catalogue, &s, &t);
    assert_eq!(violations.len(), 1);
    assert_eq!(violations[0].subject, "class C1");
}

#[test]
fn rule_1_unknown_ids_are_catalogue_violations() {
    let (s, mut t) = fixture();
    class(&mut t, "C3").teacher = "t9".to_string();
    let violations = assert_only(Rule::Catalogue, &s, &t);
    assert!(
        violations[0].message.contains("t9"),
        "{}",
        list(&violations)
    );
}

// Rule 2: venue hours.

/// C1 moves to late (wed 20:00-22:00); hall-a closes at 21:00 on weekdays. t1 is free then,
/// L1 and L2 have nothing on Wednesday evening, cost is unchanged.
fn c1_late() -> (Scenario, Timetable) {
    let (s, mut t) = fixture();
    let c1 = class(&mut t, "C1");
    c1.format = "late".to_string();
    c1.sessions = session(Day::Wed, "20:00", "22:00");
    c1.first_day = "2026-09-09".to_string();
    c1.last_day = "2026-11-11".to_string();
    (s, t)
}

#[test]
fn rule_2_sessions_lie_inside_open_hours() {
    let (s, t) = c1_late();
    let violations = assert_only(Rule::VenueHours, &s, &t);
    assert_eq!(
        violations[0].to_string(),
        "rule 2 (venue-hours): class C1: session wed 20:00-22:00 is outside the open hours of venue hall-a"
    );
    // Twin: an extra window wed 21:00-22:00 right after closing covers the rest; adjacent
    // windows count as one.
    let (mut s, t) = c1_late();
    let hall_a = s.ids.venues["hall-a"].index();
    s.venues[hall_a].open = week(&["mon-fri 08:00-21:00", "wed 21:00-22:00"]);
    assert_valid(&s, &t);
}

// Rule 3: size.

#[test]
fn rule_3_class_at_max_size_is_valid_above_room_capacity_is_not() {
    let (s, t) = l7_in_c2();
    assert_valid(&s, &t);
    // The same three learners in a room of two.
    let (mut s, t) = l7_in_c2();
    let hall_b = s.ids.venues["hall-b"].index();
    s.venues[hall_b].rooms[0].capacity = 2;
    let violations = assert_only(Rule::Size, &s, &t);
    assert!(
        violations[0]
            .message
            .contains("3 learners, more than the 2 seats"),
        "{}",
        list(&violations)
    );
}

#[test]
fn rule_3_class_below_min_size() {
    // L2 leaves C1 (1 learner, nt2 needs 2) and is unplaced with capacity (hall-a's eve is
    // in reach and clear of work). Placed 4, travel 50, aa 3 of 6: min(1/2, 1/3).
    let (s, mut t) = fixture();
    class(&mut t, "C1").learners = learners(&["L1"]);
    t.unplaced.push(UnplacedNeed {
        learner: "L2".to_string(),
        course: "nt2".to_string(),
        reason: Reason::Capacity,
    });
    let objective = 6000.0 - 1700.0 - 50.0 + 100.0 / 3.0;
    set_totals(&mut t, 4, (1200.0, 500.0), 50, (3, 1), objective);
    let violations = assert_only(Rule::Size, &s, &t);
    assert!(
        violations[0]
            .message
            .contains("fewer than the minimum of 2"),
        "{}",
        list(&violations)
    );
}

// Rule 4: room.

#[test]
fn rule_4_two_classes_in_one_room_at_one_time() {
    // Twin: C4 in hall-a/B next to C1 in hall-a/A.
    let (s, t) = with_c4("B");
    assert_valid(&s, &t);
    let (s, t) = with_c4("A");
    let violations = assert_only(Rule::Room, &s, &t);
    assert_eq!(violations.len(), 1);
    assert_eq!(
        violations[0].to_string(),
        "rule 4 (room): class C1: session mon 18:00-20:00 overlaps class C4 (mon 18:00-20:00) in room hall-a/A"
    );
}

// Rule 5: teacher (the base is the twin: its gap and hours are exactly at the limit).

#[test]
fn rule_5_travel_between_venues() {
    // C2 ends 17:00 in bb, C1 starts 18:00 in aa: 60 minutes, the car now needs 61.
    let (mut s, t) = fixture();
    set_aa_bb(&mut s, Mode::Car, 61);
    let violations = assert_only(Rule::Teacher, &s, &t);
    assert_eq!(violations.len(), 1);
    assert_eq!(violations[0].subject, "teacher t1");
    assert!(
        violations[0]
            .message
            .contains("60 minutes between, travel by car takes 61"),
        "{}",
        list(&violations)
    );
}

#[test]
fn rule_5_weekly_hours() {
    let (mut s, t) = fixture();
    let t1 = s.ids.teachers["t1"].index();
    s.teachers[t1].max_hours = 3.99;
    let violations = assert_only(Rule::Teacher, &s, &t);
    assert!(
        violations[0].message.contains("teaches 4 hours a week"),
        "{}",
        list(&violations)
    );
}

#[test]
fn rule_5_availability() {
    let (mut s, t) = fixture();
    let t1 = s.ids.teachers["t1"].index();
    s.teachers[t1].available = week(&["mon-fri 08:00-19:59"]);
    let violations = assert_only(Rule::Teacher, &s, &t);
    assert_eq!(violations.len(), 1);
    assert_eq!(violations[0].subject, "class C1");
}

#[test]
fn rule_5_double_booking() {
    // t1 takes C4 (mon 18:00-20:00, hall-a/B) as well: it overlaps C1 and makes 6 hours.
    let (s, mut t) = with_c4("B");
    class(&mut t, "C4").teacher = "t1".to_string();
    let violations = assert_only(Rule::Teacher, &s, &t);
    let messages = list(&violations);
    assert!(
        messages.contains("class C1 (mon 18:00-20:00) overlaps class C4"),
        "{messages}"
    );
    assert!(messages.contains("teaches 6 hours"), "{messages}");
}

// Rule 6: need (the base is the twin).

#[test]
fn rule_6_class_for_a_course_not_needed() {
    // L8 needs mo, not nt2. C1 is 30 minutes from L8, 17:30-20:30 with travel (free), and
    // 60 minutes after C2 ends in bb. A seat in a class of an unneeded course places no need,
    // so the totals stay.
    let (s, mut t) = fixture();
    class(&mut t, "C1").learners = learners(&["L1", "L2", "L8"]);
    let violations = assert_only(Rule::Need, &s, &t);
    assert_eq!(violations.len(), 1);
    assert_eq!(violations[0].subject, "learner L8");
}

#[test]
fn rule_6_one_need_in_two_classes() {
    // L8 is in C2 and in C4, both mo. C4 (mon 18:00-20:00 in aa) starts 60 minutes after C2
    // ends in bb; public takes 30. C2 places L8's need, so the totals are those of with_c4.
    let (s, mut t) = with_c4("B");
    class(&mut t, "C4").learners = learners(&["L7", "L8"]);
    let violations = assert_only(Rule::Need, &s, &t);
    assert_eq!(violations.len(), 1);
    assert_eq!(violations[0].subject, "learner L8, need mo");
}

#[test]
fn rule_6_learner_listed_twice_or_unknown() {
    let (s, mut t) = fixture();
    class(&mut t, "C2").learners = learners(&["L1", "L8", "L8"]);
    let violations = assert_only(Rule::Need, &s, &t);
    assert!(violations[0].message.contains("more than once"));
    let (s, mut t) = fixture();
    class(&mut t, "C1").learners = learners(&["L1", "L2", "L99"]);
    let violations = assert_only(Rule::Need, &s, &t);
    assert!(violations[0].message.contains("L99"));
}

// Rule 7: reach (the base is the twin: L2 travels exactly its limit).

#[test]
fn rule_7_travel_limit() {
    let (mut s, t) = fixture();
    let l2 = learner_index(&s, "L2");
    s.learners[l2].max_travel = 9;
    let violations = assert_only(Rule::Reach, &s, &t);
    assert_eq!(
        violations[0].to_string(),
        "rule 7 (reach): learner L2: class C1 at venue hall-a is 10 minutes away, more than max_travel 9"
    );
}

// Rule 8: work and availability (the base is the twin: both limits only touch).

#[test]
fn rule_8_unavailable_time_meets_travel() {
    // C2 with L8's 10 minutes of travel starts 14:50.
    let (mut s, t) = fixture();
    let l8 = learner_index(&s, "L8");
    s.learners[l8].unavailable = week(&["mon 14:00-14:51"]);
    let violations = assert_only(Rule::WorkAndAvailability, &s, &t);
    assert_eq!(violations[0].subject, "learner L8");
    assert!(violations[0].message.contains("unavailable"));
}

#[test]
fn rule_8_work_in_any_week_of_the_rotation() {
    // Week 2 of L2's shift now ends 17:51, a minute into C1's travel.
    let (mut s, t) = fixture();
    let rot = s.ids.shifts["rot"].index();
    s.shifts[rot].weeks[1] = week(&["mon-fri 14:00-17:51"]);
    let violations = assert_only(Rule::WorkAndAvailability, &s, &t);
    assert_eq!(violations[0].subject, "learner L2");
    assert!(violations[0].message.contains("work shift"));
}

#[test]
fn rule_8_unavailable_counts_at_the_own_workplace() {
    let (mut s, t) = fixture();
    let l3 = learner_index(&s, "L3");
    s.learners[l3].unavailable = week(&["tue 11:00-12:00"]);
    let violations = assert_only(Rule::WorkAndAvailability, &s, &t);
    assert_eq!(violations[0].subject, "learner L3");
}

// Rule 9: workplaces.

#[test]
fn rule_9_workplace_class_holds_only_its_employees() {
    // Twin: L7 in C2 (public venue) is valid.
    let (s, t) = l7_in_c2();
    assert_valid(&s, &t);
    // L7 (no employer) joins C3 at acme's works instead: 2 = capacity, 30 minutes from bb,
    // no shift. Placed 6, travel 90, bb 2 of 3.
    let (s, mut t) = fixture();
    class(&mut t, "C3").learners = learners(&["L3", "L7"]);
    drop_unplaced(&mut t, "L7");
    let objective = 8000.0 - 1700.0 - 90.0 + 100.0 * 2.0 / 3.0;
    set_totals(&mut t, 6, (1200.0, 500.0), 90, (4, 2), objective);
    let violations = assert_only(Rule::Workplaces, &s, &t);
    assert_eq!(violations.len(), 1);
    assert_eq!(violations[0].subject, "class C3");
    assert!(violations[0].message.contains("learner L7 (no employer)"));
}

// Rule 10: own clash.

#[test]
fn rule_10_overlapping_classes() {
    // Twin: t2 takes over C2 (as in rule 1).
    let (s, mut t) = fixture();
    class(&mut t, "C2").teacher = "t2".to_string();
    assert_valid(&s, &t);
    // C2 also moves to eve (mon 18:00-20:00) at hall-b: L1 is in two classes at once. t2 and
    // hall-b/A are free then, L8 with travel is 17:50-20:10, clear of 14:00-14:50.
    let c2 = class(&mut t, "C2");
    c2.format = "eve".to_string();
    c2.sessions = session(Day::Mon, "18:00", "20:00");
    let violations = assert_only(Rule::OwnClash, &s, &t);
    assert_eq!(violations.len(), 1);
    assert_eq!(
        violations[0].to_string(),
        "rule 10 (own-clash): learner L1: class C1 (mon 18:00-20:00) overlaps class C2 (mon 18:00-20:00)"
    );
}

/// Public transport between aa and bb takes `minutes`: L1's trip to C2 (limit 90) and its
/// travel total (60 - 30 + minutes) follow.
fn public_aa_bb(minutes: u32) -> (Scenario, Timetable) {
    let (mut s, mut t) = fixture();
    set_aa_bb(&mut s, Mode::Public, minutes);
    let travel = 30 + u64::from(minutes);
    let objective = 7000.0 - 1700.0 - travel as f64 + 100.0 / 3.0;
    set_totals(&mut t, 5, (1200.0, 500.0), travel, (4, 1), objective);
    (s, t)
}

#[test]
fn rule_10_travel_between_classes() {
    // 60 minutes between C2 (bb) and C1 (aa) suffice for a 60-minute trip, not for 61.
    // The reasons stay: at 61 hall-a drops out of L7's reach, but hall-b (10 minutes) keeps
    // L7 at capacity; hall-b drops out of L5's, whose options at hall-a still clash with work.
    let (s, t) = public_aa_bb(60);
    assert_valid(&s, &t);
    let (s, t) = public_aa_bb(61);
    let violations = assert_only(Rule::OwnClash, &s, &t);
    assert_eq!(violations.len(), 1);
    assert!(
        violations[0]
            .message
            .contains("60 minutes between, travel by public takes 61"),
        "{}",
        list(&violations)
    );
}

// Rule 11: budget.

#[test]
fn rule_11_budget() {
    // The base costs 1700.
    let (mut s, t) = fixture();
    s.max_cost = Some(1700.0);
    assert_valid(&s, &t);
    s.max_cost = Some(1699.99);
    let violations = assert_only(Rule::Budget, &s, &t);
    assert!(
        violations[0].message.contains("1700"),
        "{}",
        list(&violations)
    );
}

// Section 6: objective.

#[test]
fn section_6_objective_within_relative_tolerance() {
    let (s, mut t) = fixture();
    // 0.001 of 5273 is 2e-7 relative: fine.
    t.solver.objective += 0.001;
    assert_valid(&s, &t);
    t.solver.objective += 1.0;
    assert_only(Rule::Objective, &s, &t);
}

#[test]
fn section_6_objective_uses_the_scenario_weights() {
    // Without fairness the formula gives 5240.
    let (mut s, mut t) = fixture();
    s.objective.fairness = 0.0;
    assert_only(Rule::Objective, &s, &t);
    t.solver.objective = 5240.0;
    assert_valid(&s, &t);
}

// Section 7: reasons.

#[test]
fn section_7_every_other_reason_is_rejected() {
    let (s, base) = fixture();
    for index in 0..base.unplaced.len() {
        for reason in Reason::ALL {
            let mut t = base.clone();
            if t.unplaced[index].reason == reason {
                continue;
            }
            t.unplaced[index].reason = reason;
            let violations = assert_only(Rule::Reasons, &s, &t);
            assert_eq!(violations.len(), 1);
            let entry = &base.unplaced[index];
            assert_eq!(
                violations[0].subject,
                format!("learner {}, need {}", entry.learner, entry.course)
            );
        }
    }
}

#[test]
fn section_7_reasons_follow_the_scenario() {
    // A teacher for mo-ti turns L6's reason into capacity.
    let (mut s, mut t) = fixture();
    let t2 = s.ids.teachers["t2"].index();
    let mo_ti = s.ids.courses["mo-ti"];
    s.teachers[t2].teaches.push(mo_ti);
    assert_only(Rule::Reasons, &s, &t);
    t.unplaced[2].reason = Reason::Capacity;
    assert_valid(&s, &t);
    // L4 reaches hall-b with a 10-minute limit.
    let l4 = learner_index(&s, "L4");
    s.learners[l4].max_travel = 10;
    assert_only(Rule::Reasons, &s, &t);
    t.unplaced[0].reason = Reason::Capacity;
    assert_valid(&s, &t);
    // With a 9-minute limit L5 reaches nothing: hall-a is 10 minutes away, hall-b 30, and
    // the works (10 minutes) is acme's, not L5's employer's.
    let l5 = learner_index(&s, "L5");
    s.learners[l5].max_travel = 9;
    assert_only(Rule::Reasons, &s, &t);
    t.unplaced[1].reason = Reason::OutOfReach;
    assert_valid(&s, &t);
}

// Section 8: the file.

/// A change to a timetable.
type Edit = fn(&mut Timetable);

/// Each case breaks only the file contract of the base timetable.
fn file_cases() -> Vec<(&'static str, Edit)> {
    vec![
        ("need missing", |t| drop_unplaced(t, "L7")),
        ("need placed and unplaced", |t| {
            t.unplaced.push(UnplacedNeed {
                learner: "L1".to_string(),
                course: "nt2".to_string(),
                reason: Reason::Capacity,
            })
        }),
        ("unplaced twice", |t| {
            let again = t.unplaced[3].clone();
            t.unplaced.push(again)
        }),
        ("unplaced for a course not needed", |t| {
            t.unplaced.push(UnplacedNeed {
                learner: "L7".to_string(),
                course: "nt2".to_string(),
                reason: Reason::Capacity,
            })
        }),
        ("unplaced unknown learner", |t| {
            t.unplaced.push(UnplacedNeed {
                learner: "L99".to_string(),
                course: "nt2".to_string(),
                reason: Reason::Capacity,
            })
        }),
        ("class id twice", |t| t.classes[1].id = "C1".to_string()),
        ("weeks", |t| t.classes[0].weeks = 9),
        ("first day", |t| {
            t.classes[0].first_day = "2026-09-08".to_string()
        }),
        ("last day", |t| {
            t.classes[2].last_day = "2026-11-09".to_string()
        }),
        ("session end", |t| {
            t.classes[0].sessions = session(Day::Mon, "18:00", "20:30")
        }),
        ("session day", |t| {
            t.classes[0].sessions = session(Day::Tue, "18:00", "20:00")
        }),
        ("session not a time", |t| {
            t.classes[0].sessions = session(Day::Mon, "18:00", "2000")
        }),
        ("sessions missing", |t| t.classes[0].sessions.clear()),
        ("scenario name", |t| t.scenario = "other".to_string()),
        ("summary needs", |t| t.summary.needs = 10),
        ("summary placed", |t| t.summary.placed = 6),
        ("summary teacher cost", |t| t.summary.teacher_cost = 1201.0),
        ("summary room cost", |t| t.summary.room_cost = 499.0),
        ("summary travel", |t| t.summary.travel_minutes = 61),
        ("municipality missing", |t| {
            t.summary.by_municipality.pop();
        }),
        ("municipality without demand", |t| {
            t.summary.by_municipality.push(MunicipalityCoverage {
                municipality: "cc".to_string(),
                needs: 0,
                placed: 0,
            })
        }),
        ("municipality twice", |t| {
            let again = t.summary.by_municipality[0].clone();
            t.summary.by_municipality.push(again)
        }),
        ("municipality unknown", |t| {
            t.summary.by_municipality[1].municipality = "zz".to_string()
        }),
        ("municipality numbers", |t| {
            t.summary.by_municipality[0].placed = 3
        }),
    ]
}

#[test]
fn section_8_file_contract() {
    for (name, edit) in file_cases() {
        let (s, mut t) = fixture();
        edit(&mut t);
        let violations = verify(&s, &t);
        let rules: BTreeSet<Rule> = violations.iter().map(|v| v.rule).collect();
        assert_eq!(
            rules,
            BTreeSet::from([Rule::File]),
            "{name}:{}",
            list(&violations)
        );
    }
}

#[test]
fn section_8_twins() {
    // Costs within the relative tolerance, and municipalities in another order, are fine.
    let (s, mut t) = fixture();
    t.summary.teacher_cost += 1e-4;
    t.summary.by_municipality.reverse();
    assert_valid(&s, &t);
}

#[test]
fn verify_is_deterministic_and_ordered_by_rule() {
    // Many rules broken at once.
    let (mut s, mut t) = with_c4("A");
    set_aa_bb(&mut s, Mode::Car, 61);
    s.max_cost = Some(100.0);
    class(&mut t, "C3").learners = learners(&["L3", "L7", "L7", "L0"]);
    t.summary.needs = 0;
    let first = verify(&s, &t);
    assert!(first.windows(2).all(|w| w[0].rule <= w[1].rule));
    assert_eq!(first, verify(&s, &t));
    let rules: BTreeSet<Rule> = first.iter().map(|v| v.rule).collect();
    for rule in [
        Rule::Size,
        Rule::Room,
        Rule::Teacher,
        Rule::Need,
        Rule::Workplaces,
        Rule::Budget,
        Rule::File,
    ] {
        assert!(rules.contains(&rule), "{rule}:{}", list(&first));
    }
}
