#!/usr/bin/env bash
# Installs the JavaScript Salesforce clients the tests run against the fake (the `sf` CLI and
# Salesforce's published REST OpenAPI document) into DIR, from the pinned lock file. Idempotent:
# does nothing when DIR already holds this lock file's install. On a fresh Debian machine (CI runs
# as root) Node.js and npm come from apt when missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:?usage: install.sh DIR}"

if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm
    else
        echo "install.sh: Node.js 20 or later and npm are needed (apt-get install nodejs npm)" >&2
        exit 1
    fi
fi
major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 20 ]; then
    echo "install.sh: Node.js $major is too old for the pinned sf CLI; 20 or later is needed" >&2
    exit 1
fi
if cmp -s "$here/package-lock.json" "$dir/package-lock.json" && [ -x "$dir/node_modules/.bin/sf" ]; then
    exit 0
fi
mkdir -p "$dir"
cp "$here/package.json" "$here/package-lock.json" "$dir/"
# The CLI's own install scripts are not needed to run it; no audit or funding calls.
npm ci --prefix "$dir" --ignore-scripts --no-audit --no-fund --loglevel=error
