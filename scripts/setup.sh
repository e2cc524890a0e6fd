#!/usr/bin/env bash
# Install everything Tilmash and its tests need: Debian packages (when root) and the Python
# package with torch pinned to the CPU build (constraints.txt), so pip never pulls CUDA.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  need=()
  command -v msgfmt >/dev/null || need+=(gettext)
  command -v chromium >/dev/null || need+=(chromium)
  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
  command -v java >/dev/null || need+=(default-jre-headless)
  command -v npm >/dev/null || need+=(npm)
  if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
fi
python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore -c constraints.txt -e '.[test]'
# The Nu HTML Checker (vnu.jar, runs on Java) for the page-validity tests.
if [ ! -f .tools/node_modules/vnu-jar/build/dist/vnu.jar ] && command -v npm >/dev/null; then
  mkdir -p .tools
  (cd .tools && npm install --silent --no-audit --no-fund --prefix . vnu-jar@26 >/dev/null)
fi
