//! "Did you mean" help for misspelt ids, field names and columns.

/// How many known names a help text lists before it stops.
const LIST_AT_MOST: usize = 8;

/// Names longer than this are not compared: the distance costs length squared, and a very
/// long name is no typo of a short id anyway.
const LONGEST_COMPARED: usize = 64;

/// Edit distance (insertions, deletions, substitutions) between two short strings.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitute.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// The known name closest to `word`, if it is close enough to be a likely typo.
pub(crate) fn closest<'a, S: AsRef<str>>(word: &str, known: &'a [S]) -> Option<&'a str> {
    let length = word.chars().count();
    if length == 0 || length > LONGEST_COMPARED {
        return None;
    }
    let lowered = word.to_lowercase();
    let limit = (length / 3).max(1);
    known
        .iter()
        .map(AsRef::as_ref)
        .filter(|name| name.chars().count() <= LONGEST_COMPARED)
        .map(|name| (distance(&lowered, &name.to_lowercase()), name))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, name)| name)
}

/// A short list of names: the first few, then how many more there are.
pub(super) fn short_list(known: &[String]) -> String {
    let shown: Vec<&str> = known
        .iter()
        .take(LIST_AT_MOST)
        .map(String::as_str)
        .collect();
    let mut list = shown.join(", ");
    if known.len() > LIST_AT_MOST {
        list.push_str(&format!(" and {} more", known.len() - LIST_AT_MOST));
    }
    list
}

/// Help for a name that is not among `known` (sorted): the likely intended one, and the
/// names there are. `plural` names the kind ("courses"), `add` says how to define one.
pub(super) fn help_for_unknown(word: &str, known: &[String], plural: &str, add: &str) -> String {
    if known.is_empty() {
        return format!("this scenario defines no {plural}; {add}");
    }
    let listed = format!("{plural} defined in this scenario: {}", short_list(known));
    match closest(word, known) {
        Some(name) => format!("did you mean `{name}`? {listed}"),
        None => format!("{listed}; or {add}"),
    }
}

/// Help for an unknown field or column among a fixed set of names.
pub(super) fn help_for_unknown_name(word: &str, known: &[&str], what: &str) -> String {
    let known: Vec<String> = known.iter().map(|name| name.to_string()).collect();
    let listed = format!("{what}: {}", known.join(", "));
    match closest(word, &known) {
        Some(name) => format!("did you mean `{name}`? {listed}"),
        None => format!("remove it or fix its name; {listed}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_names_are_suggested_and_far_ones_are_not() {
        let known: Vec<String> = ["nt2-a1", "nt2-a2", "mo-ar"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(closest("nt2-a9", &known), Some("nt2-a1"));
        assert_eq!(closest("MO-AR", &known), Some("mo-ar"));
        assert_eq!(closest("bakery", &known), None);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn long_lists_are_cut() {
        let known: Vec<String> = (0..20).map(|i| format!("m{i}")).collect();
        assert!(short_list(&known).ends_with("and 12 more"));
    }
}
