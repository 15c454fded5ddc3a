#!/usr/bin/env bash
# Installs the Debian packages Reflex's tests use: ansible-playbook (the local Ansible executor
# and the playbook syntax checks) and Alertmanager (a real webhook sender in an HTTP test).
# Idempotent; does nothing when they are already there.
set -euo pipefail
need=()
command -v ansible-playbook >/dev/null 2>&1 || need+=(ansible)
command -v prometheus-alertmanager >/dev/null 2>&1 || [ -x /usr/bin/prometheus-alertmanager ] || need+=(prometheus-alertmanager)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
echo "installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# the Debian package starts the service; tests start their own instance
$SUDO systemctl stop prometheus-alertmanager >/dev/null 2>&1 || $SUDO service prometheus-alertmanager stop >/dev/null 2>&1 || true
pkill -f '/usr/bin/prometheus-alertmanager' >/dev/null 2>&1 || true
