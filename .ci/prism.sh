#!/usr/bin/env bash
# Checks every request the crate sends against Twilio's official OpenAPI spec.
#
# Installs the Prism mock server (@stoplight/prism-cli, from npm) into a local folder, serves
# the Verify v2 spec on 127.0.0.1, runs the acceptance programs against it and stops Prism:
#   - `acceptance`: access tokens (issue 2's program);
#   - `push_acceptance`: issue 9's program, verbatim (it is pinned to http://127.0.0.1:4010);
#   - `spec_conformance`: all 21 operations, every form field and query parameter set.
# Prism validates each request (path, SID patterns, form fields, enums, date-time format,
# PageSize bounds, Basic auth) and answers 422 naming the field when one does not match, which
# fails the program.
#
# The spec served is the official one with the form encoding of its three array fields
# (`EventTypes`, `Details.Fields`) declared, so that Prism reads repeated keys as arrays
# (../shared/VERIFY_PUSH.md, "Prism on these operations"); paths, fields and schemas are
# otherwise Twilio's own.
#
# Environment (all optional):
#   PRISM_VERSION  npm version of @stoplight/prism-cli       (default 5.16.0)
#   PRISM_DIR      where it is installed                     (default target/prism)
#   PRISM_PORT     port on 127.0.0.1 (default 4010; push_acceptance needs 4010)
#   PRISM_SPEC     the spec to serve (default ../shared/spec/twilio_verify_v2.prism.json)
#   PRISM_WAIT     seconds to wait for Prism to come up      (default 60)
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(git -C "$script_dir" rev-parse --show-toplevel 2>/dev/null || (cd "$script_dir/.." && pwd))"
cd "$repo"

version="${PRISM_VERSION:-5.16.0}"
dir="${PRISM_DIR:-$repo/target/prism}"
port="${PRISM_PORT:-4010}"
spec="${PRISM_SPEC:-$repo/../shared/spec/twilio_verify_v2.prism.json}"
wait_secs="${PRISM_WAIT:-60}"
base_url="http://127.0.0.1:$port"

say() { printf 'prism.sh: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

[[ -f "$spec" ]] || die "spec not found: $spec (set PRISM_SPEC)"
command -v npm >/dev/null || die "npm is not installed (Prism needs Node.js 18+)"
command -v curl >/dev/null || die "curl is not installed"

started=$SECONDS

# 1. Install Prism locally (kept between runs; nothing global).
prism="$dir/node_modules/.bin/prism"
if [[ ! -x "$prism" ]] || [[ "$("$prism" --version 2>/dev/null)" != "$version" ]]; then
    say "installing @stoplight/prism-cli@$version into $dir"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund --loglevel=error \
        "@stoplight/prism-cli@$version" >&2
fi
[[ -x "$prism" ]] || die "Prism did not install at $prism"
say "Prism $("$prism" --version) ready after $((SECONDS - started))s"

# 2. Nothing may already answer on the port: we must test against our Prism, not a stranger.
if curl -s -o /dev/null --max-time 2 "$base_url/"; then
    die "something already listens on $base_url (set PRISM_PORT)"
fi

# 3. Start Prism, and stop it however this script ends.
log="$(mktemp -t prism.XXXXXX.log)"
prism_pid=""
stop_prism() {
    if [[ -n "$prism_pid" ]] && kill -0 "$prism_pid" 2>/dev/null; then
        kill "$prism_pid" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$prism_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$prism_pid" 2>/dev/null || true
    fi
    rm -f "$log"
}
trap stop_prism EXIT
trap 'exit 130' INT TERM

say "starting Prism on $base_url with $spec"
"$prism" mock --host 127.0.0.1 --port "$port" "$spec" >"$log" 2>&1 &
prism_pid=$!

# 4. Wait, bounded, until it answers HTTP (any status: the probe path is not in the spec).
deadline=$((SECONDS + wait_secs))
until curl -s -o /dev/null --max-time 2 "$base_url/"; do
    if ! kill -0 "$prism_pid" 2>/dev/null; then
        cat "$log" >&2
        die "Prism exited before it was up"
    fi
    if ((SECONDS >= deadline)); then
        cat "$log" >&2
        die "Prism was not up after ${wait_secs}s"
    fi
    sleep 0.5
done
say "Prism is up after $((SECONDS - started))s"

# 5. The acceptance programs, against the spec.
status=0
for program in acceptance push_acceptance spec_conformance; do
    say "running $program"
    cargo run --quiet --locked --example "$program" -- "$base_url" || { status=$?; say "$program failed"; }
done

# 6. Prism logs each request it refused or found fault with; any is a failure even if the
#    program got through. (The readiness probes of `/`, which is not in the spec, are ignored.)
if grep -v -F '[HTTP SERVER] get / ' "$log" | grep -E -i '✖|violation' >&2; then
    say "Prism reported request violations (above)"
    if ((status == 0)); then status=1; fi
fi
if ((status != 0)); then
    say "Prism's log:"
    cat "$log" >&2
    die "acceptance failed (exit $status)"
fi
say "acceptance passed against Prism in $((SECONDS - started))s"
