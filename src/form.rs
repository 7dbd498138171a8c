//! Form bodies as Twilio's official SDKs write them: dotted names as literal keys, arrays as
//! repeated keys, integers in decimal, enums in their wire spelling, `+` for spaces.

use std::fmt::Display;

/// An `application/x-www-form-urlencoded` body under construction.
pub(crate) struct Form(form_urlencoded::Serializer<'static, String>);

impl Form {
    pub(crate) fn new() -> Form {
        Form(form_urlencoded::Serializer::new(String::new()))
    }

    /// One `name=value` pair.
    pub(crate) fn text(&mut self, name: &str, value: &str) -> &mut Self {
        self.0.append_pair(name, value);
        self
    }

    /// `name=value` when there is a value.
    pub(crate) fn opt<T: AsRef<str>>(&mut self, name: &str, value: Option<T>) -> &mut Self {
        if let Some(value) = value {
            self.0.append_pair(name, value.as_ref());
        }
        self
    }

    /// `name=value` for a number or an enum, when there is one.
    pub(crate) fn opt_display<T: Display>(&mut self, name: &str, value: Option<T>) -> &mut Self {
        if let Some(value) = value {
            self.0.append_pair(name, &value.to_string());
        }
        self
    }

    /// `name=a&name=b…`: one pair per element, nothing for none.
    pub(crate) fn each<T: AsRef<str>>(
        &mut self,
        name: &str,
        values: impl IntoIterator<Item = T>,
    ) -> &mut Self {
        for value in values {
            self.0.append_pair(name, value.as_ref());
        }
        self
    }

    pub(crate) fn finish(&mut self) -> String {
        self.0.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_dotted_keys_repeated_keys_and_skips_none() {
        let body = Form::new()
            .text("FriendlyName", "Alice's 📱 a&b=c+d")
            .opt("Config.AppId", Some("com.example.app"))
            .opt::<&str>("Binding.Alg", None)
            .opt_display("Config.TimeStep", Some(30))
            .each("EventTypes", ["challenge.approved", "*"])
            .finish();
        assert_eq!(
            body,
            "FriendlyName=Alice%27s+%F0%9F%93%B1+a%26b%3Dc%2Bd&Config.AppId=com.example.app\
             &Config.TimeStep=30&EventTypes=challenge.approved&EventTypes=*"
        );
    }

    #[test]
    fn an_empty_form_is_an_empty_body() {
        assert_eq!(Form::new().finish(), "");
    }
}
