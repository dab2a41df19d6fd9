#!/usr/bin/env bash
# Installs the supervisors the bench compares tierdown with: supervisord from
# Debian's packages and pm2 from npm into bench/peers/node_modules (ignored by
# git, so the project's own dependencies stay as they are). Needs root for apt.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! command -v supervisord >/dev/null 2>&1; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update
  # --no-install-recommends: the bench starts its own supervisord; no init scripts needed.
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y --no-install-recommends supervisor
fi
# The Debian package enables a system-wide supervisord; the bench never uses it
# (it starts its own under a temporary folder), so leave that one alone.

if [ ! -x "$here/node_modules/.bin/pm2" ]; then
  npm install --prefix "$here" --no-save --no-audit --no-fund pm2@5
fi

echo "supervisord: $(supervisord --version 2>/dev/null || echo missing)"
# Read the version from the package: running `pm2 --version` would start a pm2 daemon.
echo "pm2: $(node -p "require('$here/node_modules/pm2/package.json').version" 2>/dev/null || echo missing)"
