#!/usr/bin/env python3
"""Signature vectors for `twilio_verify::webhook`, computed by Twilio's own Python validator.

Made with (from the repository root):

    python3 -m venv /tmp/twvenv && /tmp/twvenv/bin/pip install twilio==9.13.0
    /tmp/twvenv/bin/python tests/webhook_vectors.py > tests/fixtures/webhook_vectors.json

Each case signs `signed_url` (+ the form parameters) with `signing_token` through
`RequestValidator.compute_signature`, then records what `RequestValidator.validate` says about
the request as it arrives: `url`, the parameters or the JSON body, and `signature`, checked
with `token`. A JSON body's `bodySHA256` comes from `RequestValidator.compute_hash`. Where
`validate` raises (a JSON body whose URL has no `bodySHA256`), the case is recorded as invalid
with `python_raised` set. `tests/webhook_signature.rs` checks that the Rust validator agrees on
every case.
"""

import json
import platform
import sys
from importlib.metadata import version

from twilio.request_validator import RequestValidator

TOKEN = "12345"
OTHER_TOKEN = "54321"


class QueryDict(dict):
    """A name -> list-of-values mapping, read through `getlist` as Django's QueryDict is."""

    def getlist(self, name):
        return self[name]


def multidict(pairs):
    d = QueryDict()
    for name, value in pairs:
        d.setdefault(name, []).append(value)
    return d


CASES = []


def form_case(name, signed_url, signed_params, url=None, params=None, token=TOKEN,
              signing_token=TOKEN, signature=None):
    url = signed_url if url is None else url
    params = signed_params if params is None else params
    signer = RequestValidator(signing_token)
    if signature is None:
        signature = signer.compute_signature(signed_url, multidict(signed_params))
    valid = RequestValidator(token).validate(url, multidict(params), signature)
    CASES.append({
        "name": name,
        "kind": "form",
        "token": token,
        "signing_token": signing_token,
        "signed_url": signed_url,
        "url": url,
        "params": [list(p) for p in params],
        "signature": signature,
        "valid": bool(valid),
    })


def json_case(name, signed_url_base, signed_body, url_base=None, body=None, token=TOKEN,
              signing_token=TOKEN, hash_override=None, signature=None, sep="?"):
    """`signed_url_base` gets `bodySHA256=<hash of signed_body>` appended (after `sep`)."""
    signer = RequestValidator(signing_token)
    body_hash = signer.compute_hash(signed_body) if hash_override is None else hash_override
    signed_url = signed_url_base if body_hash == "" else f"{signed_url_base}{sep}bodySHA256={body_hash}"
    url_base = signed_url_base if url_base is None else url_base
    url = url_base if body_hash == "" else f"{url_base}{sep}bodySHA256={body_hash}"
    body = signed_body if body is None else body
    if signature is None:
        signature = signer.compute_signature(signed_url, {})
    raised = None
    try:
        valid = RequestValidator(token).validate(url, body, signature)
    except Exception as e:  # noqa: BLE001 - recorded, the Rust side must say invalid
        valid, raised = False, type(e).__name__
    case = {
        "name": name,
        "kind": "json",
        "token": token,
        "signing_token": signing_token,
        "signed_url": signed_url,
        "url": url,
        "body": body,
        "signature": signature,
        "valid": bool(valid),
    }
    if raised:
        case["python_raised"] = raised
    CASES.append(case)


EVENT = [
    ("uuid", "8f4c0a4e-1b2c-4d5e-8f9a-0b1c2d3e4f50"),
    ("type", "challenge.approved"),
    ("account_sid", "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
    ("service_sid", "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
    ("entity_identity", "ff483d1ff591898a9942916050d2ca3f"),
    ("factor_sid", "YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
    ("factor_type", "push"),
    ("factor_friendly_name", "Alice's iPhone"),
    ("challenge_sid", "YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
    ("challenge_details", '{"message":"Hi! Sign in?","fields":[{"label":"Action","value":"Sign in"}]}'),
    ("status", "approved"),
]
ISSUE_PARAMS = [("type", "challenge.approved"), ("challenge_sid", "YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
TWILIO_DOC_PARAMS = [
    ("CallSid", "CA1234567890ABCDE"),
    ("Caller", "+12349013030"),
    ("Digits", "1234"),
    ("From", "+12349013030"),
    ("To", "+18005551212"),
]

# --- form bodies: URLs as Twilio signs and as the server reconstructs them -----------------
form_case("twilio docs example", "https://mycompany.com/myapp.php?foo=1&bar=2", TWILIO_DOC_PARAMS)
form_case("issue example params", "https://example.com/verify-events?source=verify", ISSUE_PARAMS)
form_case("issue acceptance form (module docs)", "https://example.com/verify-events?source=verify",
          ISSUE_PARAMS, token="your_auth_token", signing_token="your_auth_token")
form_case("full verify push event", "https://example.com/verify-events", EVENT)
form_case("https signed without port, request with :443",
          "https://example.com/verify-events?source=verify", ISSUE_PARAMS,
          url="https://example.com:443/verify-events?source=verify")
form_case("https signed with :443, request without port",
          "https://example.com:443/verify-events?source=verify", ISSUE_PARAMS,
          url="https://example.com/verify-events?source=verify")
form_case("https with :443 on both sides", "https://example.com:443/verify-events", ISSUE_PARAMS)
form_case("http signed with :80, request without port",
          "http://example.com:80/hook", ISSUE_PARAMS, url="http://example.com/hook")
form_case("http signed without port, request with :80",
          "http://example.com/hook", ISSUE_PARAMS, url="http://example.com:80/hook")
form_case("non-default port on both sides", "https://example.com:8443/hook?x=1", ISSUE_PARAMS)
form_case("signed without port, request with a non-default port",
          "https://example.com/hook?x=1", ISSUE_PARAMS, url="https://example.com:8443/hook?x=1")
form_case("ip address host with port", "http://127.0.0.1:8080/hook", ISSUE_PARAMS)
# Only the same URL: Python's remove_port splits the netloc at its first ":", so with userinfo
# it cannot find the port (the Rust validator handles userinfo and port apart).
form_case("userinfo in the url", "https://user:pass@example.com/hook", ISSUE_PARAMS)
form_case("no path", "https://example.com", ISSUE_PARAMS)
form_case("percent-encoded query",
          "https://example.com/hook?name=J%C3%BCrgen&q=a%20b+c&empty=", ISSUE_PARAMS)
form_case("fragment kept as given", "https://example.com/hook?x=1#frag", ISSUE_PARAMS)
form_case("repeated keys, values unsorted", "https://example.com/hook", [
    ("EventTypes", "factor.verified"), ("EventTypes", "challenge.denied"),
    ("EventTypes", "challenge.approved"), ("b", "2"), ("a", "1"),
])
form_case("repeated key with a duplicate value", "https://example.com/hook", [
    ("a", "x"), ("a", "y"), ("a", "x"), ("b", "z"),
])
form_case("names differing only in case", "https://example.com/hook", [
    ("a", "1"), ("A", "2"), ("_", "3"), ("Z", "4"),
])
form_case("unicode names and values", "https://example.com/hook", [
    ("entity_identity", "Jürgen-Ñandú"), ("ключ", "значение"), ("名前", "値"),
    ("emoji", "😀 and \uffff"), ("\uffff", "bmp last"), ("😀", "astral"),
])
form_case("empty params", "https://example.com/hook?source=verify", [])
form_case("empty name and value", "https://example.com/hook", [("", ""), ("a", "")])
form_case("values with separators", "https://example.com/hook", [
    ("a", "b=c&d"), ("ab", "c"), ("json", '{"k":"v"}'), ("space", "x y+z"),
])

# --- form negatives ------------------------------------------------------------------------
form_case("changed parameter value", "https://example.com/hook", ISSUE_PARAMS,
          params=[("type", "challenge.denied"), ISSUE_PARAMS[1]])
form_case("added parameter", "https://example.com/hook", ISSUE_PARAMS,
          params=ISSUE_PARAMS + [("extra", "1")])
form_case("removed parameter", "https://example.com/hook", ISSUE_PARAMS, params=ISSUE_PARAMS[:1])
form_case("renamed parameter", "https://example.com/hook", ISSUE_PARAMS,
          params=[("Type", "challenge.approved"), ISSUE_PARAMS[1]])
form_case("added repeated value", "https://example.com/hook", ISSUE_PARAMS,
          params=ISSUE_PARAMS + [("type", "challenge.denied")])
form_case("wrong token", "https://example.com/hook", ISSUE_PARAMS, token=OTHER_TOKEN)
form_case("changed path", "https://example.com/hook", ISSUE_PARAMS, url="https://example.com/hook2")
form_case("changed query", "https://example.com/hook?source=verify", ISSUE_PARAMS,
          url="https://example.com/hook?source=verifx")
form_case("changed host", "https://example.com/hook", ISSUE_PARAMS, url="https://example.org/hook")
form_case("changed scheme", "https://example.com/hook", ISSUE_PARAMS, url="http://example.com/hook")
form_case("signed with a non-default port, request without port",
          "https://example.com:8443/hook", ISSUE_PARAMS, url="https://example.com/hook")
form_case("different non-default port", "https://example.com:8443/hook", ISSUE_PARAMS,
          url="https://example.com:9443/hook")
form_case("https signed with :80 (not its default)", "https://example.com:80/hook", ISSUE_PARAMS,
          url="https://example.com:443/hook")
form_case("empty signature", "https://example.com/hook", ISSUE_PARAMS, signature="")
form_case("signature not base64", "https://example.com/hook", ISSUE_PARAMS, signature="not base64!")
form_case("signature of the wrong length", "https://example.com/hook", ISSUE_PARAMS,
          signature="AAAA")
sig = RequestValidator(TOKEN).compute_signature("https://example.com/hook", multidict(ISSUE_PARAMS))
form_case("signature with surrounding space", "https://example.com/hook", ISSUE_PARAMS,
          signature=" " + sig)
form_case("signature without padding", "https://example.com/hook", ISSUE_PARAMS,
          signature=sig.rstrip("="))

# --- JSON bodies ---------------------------------------------------------------------------
json_case("issue example json body", "https://example.com/verify-events", '{"type":"challenge.approved"}')
json_case("issue acceptance json (module docs)", "https://example.com/verify-events",
          '{"type":"challenge.approved"}', token="your_auth_token", signing_token="your_auth_token")
json_case("json event body", "https://example.com/verify-events",
          json.dumps(dict(EVENT), separators=(",", ":")))
json_case("json body with other query parameters", "https://example.com/hook?source=verify",
          '{"type":"factor.verified"}', sep="&")
json_case("json signed without port, request with :443", "https://example.com/hook",
          '{"type":"factor.created"}', url_base="https://example.com:443/hook")
json_case("json signed with :443, request without port", "https://example.com:443/hook",
          '{"type":"factor.created"}', url_base="https://example.com/hook")
json_case("json http with :80", "http://example.com:80/hook", '{"type":"factor.deleted"}',
          url_base="http://example.com/hook")
json_case("json non-default port", "https://example.com:8443/hook", '{"type":"challenge.denied"}')
json_case("json unicode body", "https://example.com/hook",
          '{"type":"challenge.approved","entity_identity":"Jürgen 😀 名前"}')
json_case("json empty body", "https://example.com/hook", "")
json_case("json pretty body", "https://example.com/hook",
          json.dumps(dict(EVENT), indent=2, ensure_ascii=False))

# --- JSON negatives ------------------------------------------------------------------------
json_case("json changed body", "https://example.com/hook", '{"type":"challenge.approved"}',
          body='{"type":"challenge.denied"}')
json_case("json body with added whitespace", "https://example.com/hook",
          '{"type":"challenge.approved"}', body='{"type": "challenge.approved"}')
json_case("json wrong token", "https://example.com/hook", '{"type":"challenge.approved"}',
          token=OTHER_TOKEN)
json_case("json changed url", "https://example.com/hook", '{"type":"challenge.approved"}',
          url_base="https://example.com/other")
json_case("json bodySHA256 in upper case", "https://example.com/hook",
          '{"type":"challenge.approved"}',
          hash_override=RequestValidator(TOKEN).compute_hash('{"type":"challenge.approved"}').upper())
json_case("json bodySHA256 of another body, url signed", "https://example.com/hook",
          '{"type":"challenge.approved"}',
          hash_override=RequestValidator(TOKEN).compute_hash('{"type":"challenge.denied"}'))
json_case("json url without bodySHA256", "https://example.com/hook",
          '{"type":"challenge.approved"}', hash_override="")
json_case("json empty signature", "https://example.com/hook", '{"type":"challenge.approved"}',
          signature="")

json.dump({
    "_comment": "Generated by tests/webhook_vectors.py; do not edit by hand.",
    "command": "python3 tests/webhook_vectors.py > tests/fixtures/webhook_vectors.json",
    "twilio_version": version("twilio"),
    "python_version": platform.python_version(),
    "cases": CASES,
}, sys.stdout, indent=2, ensure_ascii=False)
sys.stdout.write("\n")
