//! TOML syntax errors in the user's terms: where they are, what is wrong and what to write.
//!
//! The parser's own messages describe its grammar ("invalid float, expected `nan`" for
//! `kind = nt2`); the common mistakes in hand-written scenarios get a plainer message here,
//! and every other error keeps the parser's message with general help.

/// General help for a syntax error the reader has nothing more specific to say about.
const GENERAL_HELP: &str =
    "check this line for a missing quote, bracket or `=`; text values go in double quotes";

/// Path depth at which the TOML parser stops with "recursion limit" and no place.
const DOTTED_KEY_LIMIT: usize = 80;

/// A syntax error explained: byte offset (when it can be placed), message and help.
pub(super) struct Explained {
    /// Where the error is, as a byte offset into the text.
    pub offset: Option<usize>,
    /// What is wrong, starting with "not valid TOML".
    pub message: String,
    /// What to write instead.
    pub help: String,
}

/// Explains one error of `toml`'s parser on `text`.
pub(super) fn explain(text: &str, error: &toml::de::Error) -> Explained {
    let raw = error.message().trim();
    let span = error.span();
    let offset = span.as_ref().map(|s| s.start).or_else(|| {
        (raw == "recursion limit")
            .then(|| deep_dotted_key(text))
            .flatten()
    });
    let plain = |message: String, help: &str| Explained {
        offset,
        message: format!("not valid TOML: {message}"),
        help: help.to_string(),
    };
    // The parser reads a bare word in a value as a boolean (`t`, `f`), a float (`n`, `i` for
    // `nan`, `inf`) or else an unquoted string, and reports an empty value like the last.
    let about_a_value = [
        "string values must be quoted",
        "invalid boolean",
        "invalid float",
        "missing value",
    ]
    .iter()
    .any(|start| raw.starts_with(start));
    if about_a_value
        && let Some(offset) = offset
        && let Some(explained) = value_mistake(text, offset)
    {
        return explained;
    }
    if raw == "duplicate key" {
        let key = span
            .and_then(|s| text.get(s))
            .map(str::trim)
            .filter(|key| !key.is_empty() && !key.contains('\n'))
            .map(super::rules::quote);
        let header = offset.is_some_and(|o| line_around(text, o).trim_start().starts_with('['));
        return match (key, header) {
            (Some(key), true) => plain(
                format!("the table `{key}` is written twice"),
                "write each `[table]` header once, with all its fields below it; tables that repeat, such as `[[venue]]`, take double brackets every time",
            ),
            (Some(key), false) => plain(
                format!("`{key}` is given twice in the same table"),
                "keep one of the two; each field is written once per table",
            ),
            (None, _) => plain(raw.to_string(), "keep only one of the two"),
        };
    }
    // A basic or literal string cannot span lines, so wanting its quote means it is unclosed.
    for (start, quote) in [
        ("invalid basic string, expected `\"`", '"'),
        ("invalid literal string, expected `'`", '\''),
    ] {
        if raw.starts_with(start) {
            return plain(
                format!("text in quotes is not closed: the closing `{quote}` is missing"),
                &format!(
                    "end the text with `{quote}` on the same line; text over several lines goes between `\"\"\"` and `\"\"\"`"
                ),
            );
        }
    }
    let help = if raw.starts_with("missing escaped value") || raw.contains("escape") {
        "inside double quotes a `\\` starts an escape such as `\\n`; write `\\\\` for one backslash, or use single quotes, which keep the text as written: 'C:\\data'"
    } else if raw == "recursion limit" || raw.starts_with("cannot recurse further") {
        "lists, tables or dotted keys are nested far deeper than any scenario needs; look for brackets or dots repeated by mistake"
    } else if raw.starts_with("unclosed array table") {
        "a header of a repeating table is one line: `[[name]]`"
    } else if raw.starts_with("unclosed table") {
        "a table header is one line: `[name]`"
    } else if raw.starts_with("key with no value") {
        "write `key = value`; a note must be a comment starting with `#`"
    } else if raw.starts_with("carriage return") {
        "the file has a line end that is a lone carriage return; save it with Unix (LF) or Windows (CRLF) line ends"
    } else {
        GENERAL_HELP
    };
    plain(raw.to_string(), help)
}

/// The line containing byte `offset`, without its line end.
fn line_around(text: &str, offset: usize) -> &str {
    let offset = offset.min(text.len());
    let start = text
        .get(..offset)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i + 1);
    let end = text
        .get(offset..)
        .and_then(|after| after.find('\n'))
        .map_or(text.len(), |i| offset + i);
    text.get(start..end).unwrap_or_default()
}

/// Two common mistakes in a value: none at all after `key =`, or text without quotes
/// (`kind = nt2`, `teaches = [nt2-a1]`).
fn value_mistake(text: &str, offset: usize) -> Option<Explained> {
    missing_value(text, offset).or_else(|| unquoted_text(text, offset))
}

/// `key =` with nothing after it (but a comment), when the error lies after the `=`.
fn missing_value(text: &str, offset: usize) -> Option<Explained> {
    let line = line_around(text, offset);
    let line_start = text
        .get(..offset.min(text.len()))?
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let equals = line.find('=')?;
    if offset < line_start + equals {
        return None;
    }
    let key = line.get(..equals)?.trim();
    let bare_key = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    let value = line.get(equals + 1..)?;
    let value = value.split('#').next().unwrap_or_default().trim();
    if key.is_empty() || !key.chars().all(bare_key) || !value.is_empty() {
        return None;
    }
    Some(Explained {
        offset: Some(offset),
        message: format!("not valid TOML: `{key} =` has no value"),
        help: format!(
            "write a value after `=`: text in double quotes (`{key} = \"...\"`), a number (`{key} = 12`) or a list (`{key} = [...]`)"
        ),
    })
}

/// A word starting with a letter where a value goes (after `=`, `[` or `,`): text that
/// lacks its quotes. The parser tries to read it as a number or `nan`, which says little.
fn unquoted_text(text: &str, offset: usize) -> Option<Explained> {
    let before = text.get(..offset)?.trim_end_matches([' ', '\t']);
    if !before.ends_with(['=', '[', ',']) {
        return None;
    }
    let rest = text.get(offset..)?;
    let word_char = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | ' ');
    let end = rest.find(|c: char| !word_char(c)).unwrap_or(rest.len());
    let word = rest.get(..end)?.trim();
    let starts_with_letter = word.chars().next().is_some_and(char::is_alphabetic);
    if !starts_with_letter || matches!(word, "true" | "false" | "nan" | "inf") {
        return None;
    }
    let word = super::rules::quote(word);
    // The key is what comes right before the `=`, also inside an inline table.
    let bare_key = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    let key = before
        .strip_suffix('=')
        .and_then(|head| head.trim_end().rsplit(|c: char| !bare_key(c)).next())
        .unwrap_or_default();
    let example = if key.is_empty() {
        format!("`\"{word}\"`, also inside a list")
    } else {
        format!("`{key} = \"{word}\"`")
    };
    Some(Explained {
        offset: Some(offset),
        message: format!("not valid TOML: `{word}` is text without quotes"),
        help: format!("text values go in double quotes: {example}"),
    })
}

/// The start of the first line with a key of more dotted parts than the parser allows; the
/// parser reports that error without a place.
fn deep_dotted_key(text: &str) -> Option<usize> {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let code = line.trim_start();
        if !code.starts_with('#') && line.matches('.').count() + 1 >= DOTTED_KEY_LIMIT {
            return Some(start);
        }
        start += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str) -> Explained {
        let (_, errors) = toml::de::DeTable::parse_recoverable(text);
        let error = errors.first().expect("a syntax error");
        explain(text, error)
    }

    #[test]
    fn unquoted_text_and_missing_values_are_named() {
        let text = "[course]\nkind = nt2\n";
        let e = first(text);
        assert!(
            e.message.contains("`nt2` is text without quotes"),
            "{}",
            e.message
        );
        assert!(e.help.contains("kind = \"nt2\""), "{}", e.help);
        assert_eq!(e.offset.map(|o| text[..o].lines().count()), Some(2));

        let e = first("[venue]\ncost_per_hour =\nid = \"x\"\n");
        assert!(
            e.message.contains("`cost_per_hour =` has no value"),
            "{}",
            e.message
        );

        let e = first("[teacher]\nteaches = [nt2-a1, \"mo-ar\"]\n");
        assert!(
            e.message.contains("`nt2-a1` is text without quotes"),
            "{}",
            e.message
        );
        assert!(e.help.contains("inside a list"), "{}", e.help);
        let e = first("[venue]\nrooms = [{ id = A, capacity = 3 }]\n");
        assert!(e.help.contains("`id = \"A\"`"), "{}", e.help);
        // A repeated key in an inline table is not a value without quotes.
        let e = first("[venue]\nrooms = [{ id = \"A\", id = \"B\" }]\n");
        assert!(e.message.contains("`id` is given twice"), "{}", e.message);

        let e = first("[scenario]\nname = \"Autumn\nweeks = 3\n");
        assert!(
            e.message.contains("the closing `\"` is missing"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_repeated_key_or_table_is_named() {
        let e = first("[m]\nlon = 4.5\nlon = 4.6\n");
        assert!(e.message.contains("`lon` is given twice"), "{}", e.message);
        let e = first("[scenario]\nweeks = 1\n[scenario]\n");
        assert!(
            e.message.contains("table `scenario` is written twice"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_dotted_key_past_the_parser_limit_is_placed() {
        let text = format!("[scenario]\n{}b = 1\n", "a.".repeat(100));
        let e = first(&text);
        assert_eq!(e.offset, Some("[scenario]\n".len()));
        assert!(e.help.contains("nested far deeper"), "{}", e.help);
    }
}
