//! The issue's "Public API" program, verbatim but for where the base URL comes from: the first
//! argument, else `TWILIO_VERIFY_BASE_URL`, else `http://127.0.0.1:4010` (a Prism mock of the
//! official spec; see `.ci/prism.sh`).
//!
//! ```text
//! cargo run --example acceptance -- http://127.0.0.1:4010
//! ```

use twilio_verify::{CreateAccessToken, Error, FactorType, VerifyClient};

fn main() -> Result<(), Error> {
    let base_url = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("TWILIO_VERIFY_BASE_URL").ok())
        .unwrap_or_else(|| "http://127.0.0.1:4010".to_owned());
    let client = VerifyClient::builder()
        .account_sid("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .auth_token("your_auth_token")
        .base_url(base_url) // optional; default https://verify.twilio.com
        .build()?;
    let tokens = client.access_tokens("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")?;
    let created = tokens.create(
        &CreateAccessToken::new("user-8f3a2b", FactorType::Push)
            .factor_friendly_name("Alice's iPhone")
            .ttl(120),
    )?;
    println!(
        "{} for {} expires in {}s",
        created.sid, created.entity_identity, created.ttl
    );
    let jwt: &str = created.token.expose_secret();
    assert!(!jwt.is_empty());
    let again = tokens.fetch(&created.sid)?; // also accepts a &str
    assert_eq!(again.sid, created.sid);

    match tokens.create(&CreateAccessToken::new("user-8f3a2b", FactorType::Push).ttl(30)) {
        Err(Error::InvalidInput(e)) => println!("refused before sending: {e}"),
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    if let Err(Error::Api(e)) = tokens.fetch("YKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb") {
        println!("{} {:?} {:?}", e.status(), e.code(), e.request_id());
    }
    Ok(())
}
