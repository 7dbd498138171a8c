//! How the crate describes a refused SID without echoing it.

/// How a refused SID is described: its length, and its first two characters only when they are
/// capital letters (as a SID's prefix is); never more of the value.
pub fn sid_shape(value: &str) -> String {
    let n = value.chars().count();
    let head: String = value.chars().take(2).collect();
    let capitals = head.len() == 2 && head.chars().all(|c| c.is_ascii_uppercase());
    match n {
        0 => "empty".to_owned(),
        1 => "1 character".to_owned(),
        _ if capitals => format!("{n} characters starting {head:?}"),
        _ => format!("{n} characters"),
    }
}
