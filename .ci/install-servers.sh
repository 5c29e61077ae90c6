#!/usr/bin/env bash
# Installs the real servers the end-to-end tests start as child processes, from Debian's packages, when they
# are not there yet: Prometheus (prometheus, promtool). Safe to run again; .ci/run calls it before the tests.
set -euo pipefail

if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
  echo "install-servers: prometheus $(prometheus --version 2>&1 | head -n 1 | awk '{print $3}') already installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "install-servers: installing prometheus from Debian packages"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends prometheus
command -v prometheus >/dev/null && command -v promtool >/dev/null
echo "install-servers: $(prometheus --version 2>&1 | head -n 1)"
