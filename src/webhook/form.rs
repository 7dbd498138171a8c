//! One decoded form parameter, however a web framework hands it over.

/// A decoded form parameter: a `(name, value)` pair, owned or borrowed.
///
/// Implemented for `(K, V)` and `&(K, V)` with `K, V: AsRef<str>`, so the form-taking
/// functions accept `Vec<(String, String)>`, `&Vec<(String, String)>`, `&[(&str, &str)]`,
/// a `HashMap`'s or `BTreeMap`'s `iter()`, or any iterator of such pairs.
pub trait FormParam {
    /// The parameter's name.
    fn name(&self) -> &str;
    /// The parameter's value.
    fn value(&self) -> &str;
}

impl<K: AsRef<str>, V: AsRef<str>> FormParam for (K, V) {
    fn name(&self) -> &str {
        self.0.as_ref()
    }
    fn value(&self) -> &str {
        self.1.as_ref()
    }
}

impl<K: AsRef<str>, V: AsRef<str>> FormParam for &(K, V) {
    fn name(&self) -> &str {
        self.0.as_ref()
    }
    fn value(&self) -> &str {
        self.1.as_ref()
    }
}
