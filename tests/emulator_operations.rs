//! The emulator's own validation per operation, over raw HTTP (as a caller that bypasses the
//! client): Twilio-shaped 400/404/405, what the official SDKs send byte for byte, deletes
//! answering 204, and the emulator-only phone/clock API.

#![cfg(feature = "emulator")]

use base64::Engine as _;
use serde_json::Value;
use twilio_verify::emulator::Emulator;

const ID: &str = "ff483d1f-5b7e-4c1a-9e2d-0a1b2c3d4e5f";

struct Raw<'a>(&'a Emulator);

impl Raw<'_> {
    fn send(&self, method: &str, path: &str, body: Option<&str>) -> (u16, Value) {
        let pair = format!("{}:{}", self.0.account_sid(), self.0.auth_token());
        let auth = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        );
        let url = format!("{}{path}", self.0.base_url());
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let response = match body {
            Some(body) => agent
                .post(&url)
                .header("authorization", &auth)
                .content_type("application/x-www-form-urlencoded")
                .send(body),
            None if method == "DELETE" => agent.delete(&url).header("authorization", &auth).call(),
            None if method == "POST" => {
                agent.post(&url).header("authorization", &auth).send_empty()
            }
            None => agent.get(&url).header("authorization", &auth).call(),
        }
        .unwrap();
        let status = response.status().as_u16();
        let text = response.into_body().read_to_string().unwrap();
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap()
        };
        (status, value)
    }

    fn svc(&self) -> String {
        format!("/v2/Services/{}", self.0.service_sid())
    }

    fn refused(&self, method: &str, path: &str, body: &str, message: &str) {
        let (status, value) = self.send(method, path, Some(body));
        assert_eq!(status, 400, "{body}: {value}");
        assert_eq!(value["code"], 60200, "{body}");
        assert_eq!(value["message"], message, "{body}");
        assert_eq!(
            value["more_info"],
            "https://www.twilio.com/docs/errors/60200"
        );
    }

    fn totp_factor(&self) -> (String, String) {
        let path = format!("{}/Entities/{ID}/Factors", self.svc());
        let (status, body) = self.send("POST", &path, Some("FriendlyName=App&FactorType=totp"));
        assert_eq!(status, 201, "{body}");
        let sid = body["sid"].as_str().unwrap().to_owned();
        let code = self.0.totp_code(&sid).unwrap();
        let (_, verified) = self.send(
            "POST",
            &format!("{path}/{sid}"),
            Some(&format!("AuthPayload={code}")),
        );
        assert_eq!(verified["status"], "verified");
        (path, sid)
    }
}

#[test]
fn entity_create_checks_identity_and_refuses_a_duplicate_with_409() {
    let emulator = Emulator::start().unwrap();
    let raw = Raw(&emulator);
    let path = format!("{}/Entities", raw.svc());
    raw.refused(
        "POST",
        &path,
        "",
        "Missing required parameter Identity in the post body",
    );
    raw.refused(
        "POST",
        &path,
        "Identity=user+1",
        "Invalid parameter: Identity",
    );
    let (status, body) = raw.send("POST", &path, Some(&format!("Identity={ID}")));
    assert_eq!(status, 201);
    assert_eq!(
        body["links"]["factors"],
        format!("{}{path}/{ID}/Factors", emulator.base_url())
    );
    let (status, body) = raw.send("POST", &path, Some(&format!("Identity={ID}")));
    assert_eq!((status, body["code"].clone()), (409, Value::from(20409)));
    let (status, body) = raw.send("DELETE", &format!("{path}/{ID}"), None);
    assert_eq!((status, body), (204, Value::Null));
    let (status, body) = raw.send("DELETE", &format!("{path}/{ID}"), None);
    assert_eq!((status, body["code"].clone()), (404, Value::from(20404)));
}

#[test]
fn unknown_services_paths_and_methods_are_404_and_405() {
    let emulator = Emulator::start().unwrap();
    let raw = Raw(&emulator);
    let other = "/v2/Services/VAffffffffffffffffffffffffffffffff";
    for path in [
        format!("{other}/Entities"),
        format!("{other}/Webhooks"),
        format!("{}/Entities/{ID}", raw.svc()),
        format!("{}/Entities/{ID}/Factors", raw.svc()),
        format!("{}/Webhooks/YWffffffffffffffffffffffffffffffff", raw.svc()),
        format!("{}/Nope", raw.svc()),
    ] {
        let (status, body) = raw.send("GET", &path, None);
        assert_eq!(status, 404, "{path}");
        assert_eq!(body["code"], 20404);
        assert_eq!(
            body["message"],
            format!("The requested resource {path} was not found")
        );
    }
    let (status, body) = raw.send("DELETE", &format!("{}/Entities", raw.svc()), None);
    assert_eq!((status, body["code"].clone()), (405, Value::from(20004)));
}

#[test]
fn factor_create_enforces_every_client_rule() {
    let emulator = Emulator::start().unwrap();
    let raw = Raw(&emulator);
    let path = format!("{}/Entities/{ID}/Factors", raw.svc());
    let push = "FriendlyName=Pixel&FactorType=push&Binding.Alg=ES256&Binding.PublicKey=AAAA\
                &Config.AppId=com.example&Config.NotificationPlatform=none";
    for (body, message) in [
        (
            "FactorType=totp",
            "Missing required parameter FriendlyName in the post body",
        ),
        (
            "FriendlyName=A",
            "Missing required parameter FactorType in the post body",
        ),
        (
            "FriendlyName=A&FactorType=sms",
            "Invalid parameter: FactorType",
        ),
        (
            "FriendlyName=A&FactorType=totp&Config.TimeStep=19",
            "Invalid parameter: Config.TimeStep",
        ),
        (
            "FriendlyName=A&FactorType=totp&Config.Skew=3",
            "Invalid parameter: Config.Skew",
        ),
        (
            "FriendlyName=A&FactorType=totp&Config.CodeLength=9",
            "Invalid parameter: Config.CodeLength",
        ),
        (
            "FriendlyName=A&FactorType=totp&Config.Alg=md5",
            "Invalid parameter: Config.Alg",
        ),
        (
            "FriendlyName=A&FactorType=totp&Binding.Secret=not-base32!",
            "Invalid parameter: Binding.Secret",
        ),
        (
            "FriendlyName=A&FactorType=totp&Metadata=%5B1%5D",
            "Invalid parameter: Metadata",
        ),
        (
            "FriendlyName=A&FactorType=push",
            "Missing required parameter Binding.PublicKey in the post body",
        ),
        (
            "FriendlyName=A&FactorType=push&Binding.PublicKey=%%%",
            "Invalid parameter: Binding.PublicKey",
        ),
        (
            "FriendlyName=A&FactorType=push&Binding.PublicKey=AAAA&Config.AppId=x&Config.NotificationPlatform=fcm",
            "Missing required parameter Config.NotificationToken in the post body",
        ),
        (
            "FriendlyName=A&FactorType=push&Binding.PublicKey=AAAA&Config.AppId=x&Config.NotificationPlatform=fcm&Config.NotificationToken=short",
            "Invalid parameter: Config.NotificationToken",
        ),
    ] {
        raw.refused("POST", &path, body, message);
    }
    raw.refused(
        "POST",
        &format!("{}/Entities/bad_id/Factors", raw.svc()),
        "FriendlyName=A&FactorType=totp",
        "Invalid parameter: Identity",
    );
    let long = "x".repeat(65);
    raw.refused(
        "POST",
        &path,
        &format!("FriendlyName={long}&FactorType=totp"),
        "Invalid parameter: FriendlyName",
    );

    // What the official SDKs send: %20 or + for spaces, spaced JSON with \u escapes.
    let (status, body) = raw.send(
        "POST",
        &path,
        Some(&format!(
            "{push}&Metadata=%7B%20%22os%22%20%3A%20%22Andr%5Cu006fid%22%20%7D"
        )),
    );
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["metadata"]["os"], "Android");
    assert_eq!(body["binding"]["public_key"], "AAAA");
    assert_eq!(body["config"]["notification_platform"], "none");
    assert_eq!(body["status"], "unverified");
    let (status, body) = raw.send(
        "POST",
        &path,
        Some("FriendlyName=My%20App+2&FactorType=totp&Binding.Secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&Config.Alg=sha512&Config.CodeLength=8&Config.TimeStep=60&Config.Skew=0"),
    );
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["friendly_name"], "My App 2");
    assert_eq!(
        body["binding"]["secret"],
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    );
    assert_eq!(
        body["config"],
        serde_json::json!({"alg": "sha512", "skew": 0, "code_length": 8, "time_step": 60})
    );
    assert!(
        body["binding"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("&algorithm=SHA512&digits=8&period=60")
    );
    // The binding is answered by the create only.
    let sid = body["sid"].as_str().unwrap();
    let (_, fetched) = raw.send("GET", &format!("{path}/{sid}"), None);
    assert_eq!(fetched.get("binding"), None);
    assert_eq!(fetched["config"]["alg"], "sha512");
}

#[test]
fn factor_update_enforces_its_rules() {
    let emulator = Emulator::start().unwrap();
    let raw = Raw(&emulator);
    let (path, sid) = raw.totp_factor();
    let at = format!("{path}/{sid}");
    for (body, message) in [
        ("AuthPayload=12", "Invalid parameter: AuthPayload"),
        ("Config.TimeStep=61", "Invalid parameter: Config.TimeStep"),
        (
            "Config.NotificationPlatform=sms",
            "Invalid parameter: Config.NotificationPlatform",
        ),
        (
            "Config.NotificationToken=short",
            "Invalid parameter: Config.NotificationToken",
        ),
    ] {
        raw.refused("POST", &at, body, message);
    }
    let (status, body) = raw.send(
        "POST",
        &at,
        Some("FriendlyName=Renamed&Config.CodeLength=8"),
    );
    assert_eq!(status, 200);
    assert_eq!(body["friendly_name"], "Renamed");
    assert_eq!(body["config"]["code_length"], 8);
    assert_eq!(emulator.totp_code(&sid).unwrap().len(), 8);
}

#[test]
fn challenge_create_update_and_notify_enforce_their_rules() {
    let emulator = Emulator::start().unwrap();
    let raw = Raw(&emulator);
    let (_, totp) = raw.totp_factor();
    let path = format!("{}/Entities/{ID}/Challenges", raw.svc());
    let f = format!("FactorSid={totp}");
    let over = "x".repeat(257);
    let field = |label: &str, value: &str| {
        format!("Details.Fields=%7B%22label%22%3A%22{label}%22%2C%22value%22%3A%22{value}%22%7D")
    };
    let twenty_one = (0..21)
        .map(|_| field("a", "b"))
        .collect::<Vec<_>>()
        .join("&");
    for (body, message) in [
        (
            String::new(),
            "Missing required parameter FactorSid in the post body",
        ),
        ("FactorSid=YF1".into(), "Invalid parameter: FactorSid"),
        (
            format!("{f}&ExpirationDate=yesterday"),
            "Invalid parameter: ExpirationDate",
        ),
        (
            format!("{f}&ExpirationDate=2000-01-01T00:00:00Z"),
            "Invalid parameter: ExpirationDate",
        ),
        (
            format!("{f}&ExpirationDate=9000-01-01T00:00:00Z"),
            "Invalid parameter: ExpirationDate",
        ),
        (
            format!("{f}&Details.Message={over}"),
            "Invalid parameter: Details.Message",
        ),
        (
            format!("{f}&{twenty_one}"),
            "Invalid parameter: Details.Fields",
        ),
        (
            format!("{f}&{}", field(&"l".repeat(37), "v")),
            "Invalid parameter: Details.Fields",
        ),
        (
            format!("{f}&Details.Fields=%7B%22label%22%3A1%7D"),
            "Invalid parameter: Details.Fields",
        ),
        (
            format!("{f}&HiddenDetails=%7B%22n%22%3A1%7D"),
            "Invalid parameter: HiddenDetails",
        ),
        (
            format!("{f}&AuthPayload=123456789"),
            "Invalid parameter: AuthPayload",
        ),
    ] {
        raw.refused("POST", &path, &body, message);
    }
    let (status, body) = raw.send(
        "POST",
        &path,
        Some("FactorSid=YFffffffffffffffffffffffffffffffff"),
    );
    assert_eq!((status, body["code"].clone()), (404, Value::from(20404)));

    // Spaced JSON with escapes, %20 and +: what the SDKs send.
    let spaced = "Details.Fields=%7B%20%22label%22%20%3A%20%22Lo%5Cu0063ation%22%2C%20%22value%22%3A%22Berlin%22%20%7D";
    let (status, body) = raw.send(
        "POST",
        &path,
        Some(&format!("{f}&Details.Message=Log%20in+now%3F&{spaced}&HiddenDetails=%7B%20%22ip%22%3A%20%22172.168.1.234%22%20%7D")),
    );
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["details"]["message"], "Log in now?");
    assert_eq!(
        body["details"]["fields"],
        serde_json::json!([{"label": "Location", "value": "Berlin"}])
    );
    assert_eq!(body["hidden_details"]["ip"], "172.168.1.234");
    assert_eq!(body["status"], "pending");
    let sid = body["sid"].as_str().unwrap();
    raw.refused(
        "POST",
        &format!("{path}/{sid}"),
        "Metadata=%5B%5D",
        "Invalid parameter: Metadata",
    );
    raw.refused(
        "POST",
        &format!("{path}/{sid}/Notifications"),
        "Ttl=301",
        "Invalid parameter: Ttl",
    );
    // A TOTP challenge gets no push notification.
    raw.refused(
        "POST",
        &format!("{path}/{sid}/Notifications"),
        "Ttl=10",
        "Invalid parameter: ChallengeSid",
    );
    for query in ["Status=done", "Order=up", "FactorSid=YF1"] {
        let (status, body) = raw.send("GET", &format!("{path}?{query}"), None);
        assert_eq!(status, 400, "{query}");
        let name = query.split('=').next().unwrap();
        assert_eq!(body["message"], format!("Invalid parameter: {name}"));
    }
}

#[test]
fn a_push_challenge_needs_a_message_and_notifications_answer_201() {
    let emulator = Emulator::start().unwrap();
    let raw = Raw(&emulator);
    let factors = format!("{}/Entities/{ID}/Factors", raw.svc());
    let (_, unverified) = raw.send(
        "POST",
        &factors,
        Some("FriendlyName=Pixel&FactorType=push&Binding.PublicKey=AAAA&Config.AppId=x&Config.NotificationPlatform=none"),
    );
    let sid = unverified["sid"].as_str().unwrap();
    let path = format!("{}/Entities/{ID}/Challenges", raw.svc());
    raw.refused(
        "POST",
        &path,
        &format!("FactorSid={sid}&Details.Message=Hi"),
        "Invalid parameter: FactorSid",
    );
    raw.send(
        "POST",
        &format!("{factors}/{sid}"),
        Some("AuthPayload=signed-by-device"),
    );
    raw.refused(
        "POST",
        &path,
        &format!("FactorSid={sid}"),
        "Missing required parameter Details.Message in the post body",
    );
    let (_, challenge) = raw.send(
        "POST",
        &path,
        Some(&format!("FactorSid={sid}&Details.Message=Hi")),
    );
    let c = challenge["sid"].as_str().unwrap();
    let (status, body) = raw.send("POST", &format!("{path}/{c}/Notifications"), None);
    assert_eq!(status, 201);
    assert_eq!(
        (body["ttl"].clone(), body["priority"].clone()),
        (Value::from(300), Value::from("high"))
    );
    assert!(body["sid"].as_str().unwrap().starts_with("NT"));
}

#[test]
fn webhooks_enforce_their_rules_and_round_trip() {
    let emulator = Emulator::start().unwrap();
    let raw = Raw(&emulator);
    let path = format!("{}/Webhooks", raw.svc());
    let ok = "FriendlyName=hooks&EventTypes=challenge.approved&EventTypes=%2A&WebhookUrl=https%3A%2F%2Fexample.com%2Fv";
    for (body, message) in [
        (
            "EventTypes=%2A&WebhookUrl=https%3A%2F%2Fa.b",
            "Missing required parameter FriendlyName in the post body",
        ),
        (
            "FriendlyName=a&WebhookUrl=https%3A%2F%2Fa.b",
            "Missing required parameter EventTypes in the post body",
        ),
        (
            "FriendlyName=a&EventTypes=%2A",
            "Missing required parameter WebhookUrl in the post body",
        ),
        (
            "FriendlyName=a&EventTypes=sms.sent&WebhookUrl=https%3A%2F%2Fa.b",
            "Invalid parameter: EventTypes",
        ),
        (
            "FriendlyName=a&EventTypes=%2A&WebhookUrl=ftp%3A%2F%2Fa.b",
            "Invalid parameter: WebhookUrl",
        ),
        (
            "FriendlyName=a&EventTypes=%2A&WebhookUrl=https%3A%2F%2Fa.b&Status=on",
            "Invalid parameter: Status",
        ),
        (
            "FriendlyName=a&EventTypes=%2A&WebhookUrl=https%3A%2F%2Fa.b&Version=v3",
            "Invalid parameter: Version",
        ),
    ] {
        raw.refused("POST", &path, body, message);
    }
    let (status, hook) = raw.send("POST", &path, Some(ok));
    assert_eq!(status, 201, "{hook}");
    assert_eq!(
        hook["event_types"],
        serde_json::json!(["challenge.approved", "*"])
    );
    assert_eq!(
        (hook["status"].clone(), hook["version"].clone()),
        (Value::from("enabled"), Value::from("v2"))
    );
    assert_eq!(hook["webhook_method"], "POST");
    let at = format!("{path}/{}", hook["sid"].as_str().unwrap());
    let (_, updated) = raw.send("POST", &at, Some("Status=disabled"));
    assert_eq!(updated["status"], "disabled");
    assert_eq!(updated["event_types"], hook["event_types"]);
    let (_, list) = raw.send("GET", &path, None);
    assert_eq!(list["webhooks"].as_array().unwrap().len(), 1);
    assert_eq!(raw.send("DELETE", &at, None).0, 204);
    assert_eq!(raw.send("GET", &at, None).0, 404);
}

#[test]
fn the_phone_http_api_enrolls_lists_answers_gives_codes_and_moves_the_clock() {
    let emulator = Emulator::start().unwrap();
    let raw = Raw(&emulator);
    let svc = emulator.service_sid();
    let (_, token) = raw.send(
        "POST",
        &format!("{}/AccessTokens", raw.svc()),
        Some(&format!(
            "Identity={ID}&FactorType=push&FactorFriendlyName=Pixel%207"
        )),
    );
    let jwt = token["token"].as_str().unwrap();
    let phone_path = format!("/emulator/v1/Services/{svc}/Phone");
    raw.refused("POST", &phone_path, "Token=a.b.c", "Invalid parameter: Token (the JWT is not an access token this emulator minted for the service)");
    let (status, factor) = raw.send("POST", &phone_path, Some(&format!("Token={jwt}")));
    assert_eq!(status, 201, "{factor}");
    assert_eq!(
        (factor["status"].clone(), factor["friendly_name"].clone()),
        (Value::from("verified"), Value::from("Pixel 7"))
    );
    let yf = factor["sid"].as_str().unwrap();

    let challenges = format!("{}/Entities/{ID}/Challenges", raw.svc());
    let (_, c) = raw.send(
        "POST",
        &challenges,
        Some(&format!(
            "FactorSid={yf}&Details.Message=Hi&{}",
            "Details.Fields=%7B%22label%22%3A%22IP%22%2C%22value%22%3A%221.2.3.4%22%7D"
        )),
    );
    let yc = c["sid"].as_str().unwrap();
    let device = format!("/emulator/v1/Services/{svc}/Entities/{ID}/Factors/{yf}");
    let (status, pending) = raw.send("GET", &format!("{device}/Challenges"), None);
    assert_eq!(status, 200);
    assert_eq!(pending["challenges"][0]["sid"], yc);
    assert_eq!(pending["challenges"][0]["message"], "Hi");
    assert_eq!(
        pending["challenges"][0]["fields"],
        serde_json::json!([{"label": "IP", "value": "1.2.3.4"}])
    );
    let (status, answer) = raw.send("POST", &format!("{device}/Challenges/{yc}/Deny"), None);
    assert_eq!(
        (status, answer["status"].clone()),
        (200, Value::from("denied"))
    );
    let (status, again) = raw.send("POST", &format!("{device}/Challenges/{yc}/Approve"), None);
    assert_eq!((status, again["code"].clone()), (409, Value::from(20409)));
    let (_, fetched) = raw.send("GET", &format!("{challenges}/{yc}"), None);
    assert_eq!(fetched["status"], "denied");
    assert!(fetched["date_responded"].is_string());

    let (_, totp) = raw.totp_factor();
    let (status, code) = raw.send(
        "GET",
        &format!("/emulator/v1/Services/{svc}/Entities/{ID}/Factors/{totp}/TotpCode"),
        None,
    );
    assert_eq!(status, 200);
    assert_eq!(code["code"], emulator.totp_code(&totp).unwrap());
    assert_eq!(raw.send("GET", &format!("{device}/TotpCode"), None).0, 400);

    let before = emulator.now();
    let (status, now) = raw.send("POST", "/emulator/v1/Clock", Some("Advance=3600"));
    assert_eq!(status, 200);
    assert!(emulator.now().duration_since(before).unwrap().as_secs() >= 3600);
    assert!(now["now"].is_string());
    raw.refused(
        "POST",
        "/emulator/v1/Clock",
        "Advance=-5",
        "Invalid parameter: Advance",
    );
}
