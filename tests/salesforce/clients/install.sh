#!/usr/bin/env bash
# Installs the JavaScript Salesforce clients the tests run against the fake (the `sf` CLI and
# Salesforce's published REST OpenAPI document) into DIR, from the pinned lock file. Idempotent:
# does nothing when DIR already holds this lock file's install. On a fresh Debian machine (CI runs
# as root) Node.js and npm come from apt when missing; when the system Node.js is older than 20
# (Debian 12 ships 18), a Node.js 20 binary is installed from the npm registry into DIR/node, and
# the tests run the CLI with it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:?usage: install.sh DIR}"
node_version=20.20.2

if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm
    else
        echo "install.sh: Node.js and npm are needed (apt-get install nodejs npm)" >&2
        exit 1
    fi
fi
if cmp -s "$here/package-lock.json" "$dir/package-lock.json" && [ -x "$dir/node_modules/.bin/sf" ]; then
    exit 0
fi
mkdir -p "$dir"
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
    case "$(uname -m)" in
        x86_64) platform=linux-x64 ;;
        aarch64) platform=linux-arm64 ;;
        *) echo "install.sh: Node.js 20 or later is needed for the sf CLI" >&2; exit 1 ;;
    esac
    npm install --prefix "$dir/node" --ignore-scripts --no-audit --no-fund --loglevel=error \
        "node-$platform@$node_version"
fi
cp "$here/package.json" "$here/package-lock.json" "$dir/"
# The CLI's own install scripts are not needed to run it; no audit or funding calls.
npm ci --prefix "$dir" --ignore-scripts --no-audit --no-fund --loglevel=error
