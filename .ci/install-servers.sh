#!/usr/bin/env bash
# Installs what the end-to-end tests start or call, from Debian's packages, when it is not there yet: Prometheus
# (prometheus, promtool), Alertmanager (prometheus-alertmanager, amtool), the headless browser of the war-room
# page test (chromium, chromium-driver) and docker-compose (validates docker-compose.yml; no engine needed).
# Safe to run again; .ci/run calls it before the tests.
set -euo pipefail

missing=()
if ! command -v prometheus >/dev/null 2>&1 || ! command -v promtool >/dev/null 2>&1; then
  missing+=(prometheus)
fi
if ! command -v prometheus-alertmanager >/dev/null 2>&1 || ! command -v amtool >/dev/null 2>&1; then
  missing+=(prometheus-alertmanager)
fi
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  missing+=(chromium chromium-driver)
fi
if ! command -v docker-compose >/dev/null 2>&1; then
  missing+=(docker-compose)
fi

versions() {
  echo "install-servers: prometheus $(prometheus --version 2>&1 | head -n 1 | awk '{print $3}')," \
    "alertmanager $(prometheus-alertmanager --version 2>&1 | head -n 1 | awk '{print $3}')," \
    "$(chromedriver --version 2>&1 | awk '{print $1, $2}'), docker-compose $(docker-compose version --short 2>&1)"
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "$(versions) already installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "install-servers: installing ${missing[*]} from Debian packages"
$sudo apt-get update -q
# the packages' own services are not started (no init system in CI): the tests start their own instances
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
command -v prometheus >/dev/null && command -v promtool >/dev/null
command -v prometheus-alertmanager >/dev/null && command -v amtool >/dev/null
command -v chromium >/dev/null && command -v chromedriver >/dev/null
command -v docker-compose >/dev/null
versions
