#!/usr/bin/env bash
# Make sure Debian's chromium is at /usr/bin/chromium for the /ops browser test (tests/brain/ops).
# Playwright drives this system browser; its own browser download cannot work here (no internet
# beyond package registries). Installs with apt-get when missing (root or passwordless sudo).
# When apt is unavailable it says so loudly and returns 0: the browser test then skips with the
# same reason, and every other test still runs.
set -u
CHROMIUM="${EVE_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    SUDO="unavailable"
  fi
fi
if ! command -v apt-get >/dev/null 2>&1 || [ "$SUDO" = "unavailable" ]; then
  {
    echo "################################################################################"
    echo "# WARNING: $CHROMIUM is missing and apt-get (as root) is unavailable here."
    echo "# The /ops browser test (tests/brain/ops/test_ops_browser.py) will SKIP."
    echo "# Install Debian's chromium (apt-get install chromium) to run it."
    echo "################################################################################"
  } >&2
  exit 0
fi
echo "installing chromium with apt-get (for the /ops browser test) ..." >&2
export DEBIAN_FRONTEND=noninteractive
if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends chromium; } >/tmp/eve-chromium-apt.log 2>&1; then
  echo "error: apt-get install chromium failed; see /tmp/eve-chromium-apt.log" >&2
  tail -n 20 /tmp/eve-chromium-apt.log >&2
  exit 1
fi
echo "chromium installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")" >&2
