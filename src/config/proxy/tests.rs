use std::collections::HashMap;

use super::*;

fn endpoint(url: &str) -> Endpoint {
    Endpoint::new(url, None, None).unwrap()
}

/// The proxy chosen for `url` with these variables set, as `host:port`.
fn chosen(url: &str, vars: &[(&str, &str)]) -> Result<Option<String>, InvalidInput> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    choose(None, &endpoint(url), |name| vars.get(name).cloned())
        .map(|p| p.map(|p| format!("{}:{}", p.host(), p.port())))
}

const TWILIO: &str = "https://verify.twilio.com";

#[test]
fn http_proxy_is_never_read_for_twilio() {
    for name in ["HTTP_PROXY", "http_proxy"] {
        assert_eq!(
            chosen(TWILIO, &[(name, "http://evil:8080")]),
            Ok(None),
            "{name}"
        );
    }
    assert_eq!(
        chosen(
            TWILIO,
            &[
                ("HTTP_PROXY", "http://evil:8080"),
                ("HTTPS_PROXY", "http://good:3128")
            ]
        ),
        Ok(Some("good:3128".into()))
    );
}

#[test]
fn https_proxy_comes_before_all_proxy_and_lower_case_before_upper() {
    let all = [
        ("ALL_PROXY", "http://d:4"),
        ("all_proxy", "http://c:3"),
        ("HTTPS_PROXY", "http://b:2"),
        ("https_proxy", "http://a:1"),
    ];
    for skip in 0..4 {
        assert_eq!(
            chosen(TWILIO, &all[..4 - skip]),
            Ok(Some(["d:4", "c:3", "b:2", "a:1"][3 - skip].into()))
        );
    }
    assert_eq!(
        chosen(
            TWILIO,
            &[("https_proxy", ""), ("HTTPS_PROXY", "http://b:2")]
        ),
        Ok(Some("b:2".into())),
        "an empty variable is unset"
    );
}

#[test]
fn no_proxy_exempts_the_host_and_its_parent_domains_as_curl_does() {
    let proxy = ("HTTPS_PROXY", "http://p:3128");
    for list in [
        "*",
        "twilio.com",
        ".twilio.com",
        "*.twilio.com",
        "example.com, verify.twilio.com",
        "VERIFY.TWILIO.COM",
    ] {
        for name in NO_PROXY_VARIABLES {
            assert_eq!(
                chosen(TWILIO, &[proxy, (name, list)]),
                Ok(None),
                "{name}={list}"
            );
        }
    }
    for list in [
        "",
        "example.com",
        "io.com",
        "lio.com",
        "verify.twilio.com.evil",
        "*.evil",
    ] {
        assert_eq!(
            chosen(TWILIO, &[proxy, ("NO_PROXY", list)]),
            Ok(Some("p:3128".into())),
            "NO_PROXY={list}"
        );
    }
}

#[test]
fn the_environment_never_applies_to_loopback() {
    let vars = [("HTTPS_PROXY", "http://p:1"), ("ALL_PROXY", "http://p:2")];
    for url in [
        "http://127.0.0.1:4010",
        "http://localhost:1",
        "https://[::1]:9",
    ] {
        assert_eq!(chosen(url, &vars), Ok(None), "{url}");
    }
}

#[test]
fn a_bad_proxy_in_the_environment_is_refused_naming_the_variable_not_its_value() {
    let err = chosen(TWILIO, &[("HTTPS_PROXY", "http://u:pa/ss@p:3128")]).unwrap_err();
    assert_eq!(err.parameter(), "HTTPS_PROXY");
    assert!(!err.to_string().contains("pa/ss"), "{err}");
}

#[test]
fn an_explicit_proxy_is_honoured_for_loopback_if_it_is_on_loopback_or_tls_protects() {
    let proxied = |proxy: &str, url: &str| {
        choose(Some(proxy), &endpoint(url), |_| None)
            .map(|p| p.map(|p| format!("{}:{}", p.host(), p.port())))
    };
    assert_eq!(
        proxied("http://127.0.0.1:3128", "http://127.0.0.1:4010"),
        Ok(Some("127.0.0.1:3128".into()))
    );
    assert_eq!(
        proxied("http://proxy.internal:3128", "https://127.0.0.1:4010"),
        Ok(Some("proxy.internal:3128".into()))
    );
    let err = proxied("http://proxy.internal:3128", "http://127.0.0.1:4010").unwrap_err();
    assert_eq!(err.parameter(), "proxy");
}

#[test]
fn deadline_caps_the_time_left_until_it_is_disarmed() {
    #[derive(Debug, Default)]
    struct Seen(Vec<Budget>);
    impl Transport for Seen {
        fn buffers(&mut self) -> &mut dyn Buffers {
            unreachable!("not used by Deadline")
        }
        fn transmit_output(&mut self, _: usize, t: NextTimeout) -> Result<(), ureq::Error> {
            self.0.push(t.after);
            Ok(())
        }
        fn await_input(&mut self, t: NextTimeout) -> Result<bool, ureq::Error> {
            self.0.push(t.after);
            Ok(true)
        }
        fn is_open(&mut self) -> bool {
            true
        }
    }
    let flag = Arc::new(AtomicBool::new(true));
    let long = NextTimeout {
        after: Budget::from_secs(60),
        ..NextTimeout::default()
    };
    let mut t = Deadline {
        inner: Box::new(Seen::default()),
        armed: Some((
            Instant::now() + std::time::Duration::from_millis(500),
            Arc::clone(&flag),
        )),
    };
    let capped = t.bound(long).unwrap();
    assert!(*capped.after <= std::time::Duration::from_millis(500));
    flag.store(false, Ordering::Release);
    assert_eq!(t.bound(long).unwrap().after, long.after);
    assert!(t.armed.is_none(), "disarmed for good");

    let mut late = Deadline {
        inner: Box::new(Seen::default()),
        armed: Some((Instant::now(), Arc::new(AtomicBool::new(true)))),
    };
    assert!(matches!(
        late.await_input(long),
        Err(ureq::Error::Timeout(ureq::Timeout::Global))
    ));
}
