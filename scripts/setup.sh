#!/usr/bin/env bash
# Install Tilmash and everything its tests need into .venv (a virtual environment in the
# checkout), so it works where the system Python is externally managed (Debian 12/13,
# Ubuntu 24.04). As root it also installs the Debian packages below; otherwise it names the
# ones that are missing.
#   gettext               msgfmt/msgcat: catalogs are checked against GNU gettext
#   python3-venv          creates .venv on Debian/Ubuntu
#   chromium              headless browser for the browser tests (driven by Playwright)
#   fonts-noto-cjk        Chinese glyphs in the browser tests' screenshots
#   default-jre-headless  runs the Nu HTML Checker (vnu.jar) in the page-validity tests
#   npm                   fetches vnu.jar (npm package vnu-jar) into .tools/
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v msgfmt >/dev/null || missing+=(gettext)
python3 -c "import ensurepip, venv" 2>/dev/null || missing+=(python3-venv)
command -v chromium >/dev/null || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: not root, so these Debian packages were not installed: ${missing[*]}" >&2
    echo "setup: ask for them with: sudo apt-get install ${missing[*]}" >&2
  fi
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'

# The Nu HTML Checker (vnu.jar, runs on Java) for the page-validity tests.
if [ ! -f .tools/node_modules/vnu-jar/build/dist/vnu.jar ] && command -v npm >/dev/null; then
  mkdir -p .tools
  (cd .tools && npm install --silent --no-audit --no-fund --prefix . vnu-jar@26 >/dev/null)
fi
