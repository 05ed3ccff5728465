#!/usr/bin/env bash
# The whole shipper flow against a local AWS endpoint: start moto_server on a free loopback
# port, seed it with what the bundled example needs (network, load balancer, hosted zone, two
# images, the secret), then validate, render, deploy v1 (creates the stack), deploy v2 (a new
# digest in the launch template), list releases, show the status and roll back to v1.
# moto is stopped whatever happens. Run it with `npm run demo` (which builds shipper first).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
for tool in node python3 moto_server; do
  command -v "$tool" >/dev/null || { echo "demo: $tool is not on PATH (moto_server: pip install 'moto[server]')" >&2; exit 1; }
done
[[ -f "$root/dist/cli/entry.js" ]] || { echo "demo: shipper is not built; run npm run build (or npm run demo)" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/shipper-demo.XXXXXX")"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
endpoint="http://127.0.0.1:$port"

# moto_server with change sets that behave as CloudFormation's (see moto_server.py), run by
# the Python that moto_server itself runs with (pipx and virtualenvs have their own).
moto_python=python3
if [[ "$(head -n 1 "$(command -v moto_server)")" =~ ^\#\!(/[^[:space:]]*python[0-9.]*)$ ]]; then
  moto_python="${BASH_REMATCH[1]}"
fi
"$moto_python" -c 'import moto.server' 2>/dev/null || { echo "demo: $moto_python cannot import moto (pip install 'moto[server]')" >&2; exit 1; }
"$moto_python" "$root/examples/local/moto_server.py" -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
stop_moto() {
  kill "$moto_pid" 2>/dev/null || true
  wait "$moto_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap stop_moto EXIT

answering() {
  python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' "$endpoint/moto-api/" 2>/dev/null
}
for _ in $(seq 1 150); do
  answering && break
  kill -0 "$moto_pid" 2>/dev/null || { cat "$work/moto.log" >&2; exit 1; }
  sleep 0.2
done
answering || { echo "demo: moto_server did not answer on $endpoint within 30s" >&2; exit 1; }

# Only the local endpoint, with dummy credentials: nothing here can reach a real account.
while IFS= read -r name; do unset "$name"; done < <(env | sed -n 's/^\(AWS_[A-Za-z0-9_]*\)=.*/\1/p')
export AWS_ENDPOINT_URL="$endpoint" AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=eu-west-1

if [[ -t 1 ]]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s$ %s%s\n' "$bold" "$*" "$plain"; }
shipper() { node "$root/bin/shipper" "$@"; }

step node examples/local/seed.mjs "$endpoint" "$work/hello"
echo "# seeds VPC, subnets, ALB and listener, hosted zone, ECR images v1 and v2, the SSM secret"
descriptor="$(node "$root/examples/local/seed.mjs" "$endpoint" "$work/hello")"
echo "# wrote the example with a 'local' environment for them: $descriptor"
cd "$(dirname "$descriptor")"
v1_digest="$(node -e 'console.log(require(process.argv[1]).images.v1)' "$PWD/seeded.json")"

step shipper validate --env local
shipper validate --env local

step shipper render --env local --image-tag v1 --image-digest "$v1_digest" -o template.yml "&&" head -n 30 template.yml
shipper render --env local --image-tag v1 --image-digest "$v1_digest" -o template.yml
head -n 30 template.yml
echo "… ($(wc -l <template.yml) lines)"

step shipper deploy --env local --image-tag v1
shipper deploy --env local --image-tag v1

step shipper deploy --env local --image-tag v2
shipper deploy --env local --image-tag v2

step shipper releases --env local
shipper releases --env local

step shipper status --env local
shipper status --env local

step shipper rollback --env local
shipper rollback --env local

printf '\nDone: the stack hello-local went v1 → v2 → v1 on %s. moto is stopped on exit.\n' "$endpoint"
