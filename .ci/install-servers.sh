#!/usr/bin/env bash
# Installs the real servers the end-to-end tests start as child processes, from Debian's packages, when they
# are not there yet: Prometheus (prometheus, promtool) and Alertmanager (prometheus-alertmanager, amtool). Safe
# to run again; .ci/run calls it before the tests.
set -euo pipefail

missing=()
if ! command -v prometheus >/dev/null 2>&1 || ! command -v promtool >/dev/null 2>&1; then
  missing+=(prometheus)
fi
if ! command -v prometheus-alertmanager >/dev/null 2>&1 || ! command -v amtool >/dev/null 2>&1; then
  missing+=(prometheus-alertmanager)
fi
# the war-room page's browser test (WarRoomPageBrowserTest) drives Debian's headless Chromium
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  missing+=(chromium chromium-driver)
fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-servers: prometheus $(prometheus --version 2>&1 | head -n 1 | awk '{print $3}')," \
    "alertmanager $(prometheus-alertmanager --version 2>&1 | head -n 1 | awk '{print $3}') already installed"
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
echo "install-servers: $(prometheus --version 2>&1 | head -n 1); $(prometheus-alertmanager --version 2>&1 | head -n 1)"
