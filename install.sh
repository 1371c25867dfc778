#!/usr/bin/env bash
# Quick start, step 1: install what handbook needs, then build the sample handbooks into output/.
# System libraries come from Debian's packages when missing (Pango for WeasyPrint; gettext,
# poppler-utils and fonts for translations and tests; chromium, Java, Node.js and npm for the
# browser tests); the browser tests' axe-core and vnu.jar from npm (package-lock.json, into
# node_modules/); the rest from PyPI. Nothing is downloaded at run time afterwards. When python3
# is Debian's own (externally managed, or without pip), the Python packages go into .venv/:
# activate it with `. .venv/bin/activate`.
set -euo pipefail
cd "$(dirname "$0")"

# Debian's python3 refuses `pip install` outside a virtual environment (PEP 668).
use_venv=0
if [ -z "${VIRTUAL_ENV:-}" ] && { ! python3 -m pip --version >/dev/null 2>&1 || python3 -c \
  'import os, sys, sysconfig; sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")) else 1)'; }; then
  use_venv=1
fi

missing=()
have_lib() { python3 -c "import ctypes.util, sys; sys.exit(0 if ctypes.util.find_library('$1') else 1)"; }
have_lib pango-1.0 || missing+=(libpango-1.0-0)
have_lib pangoft2-1.0 || missing+=(libpangoft2-1.0-0)
# WeasyPrint subsets fonts with HarfBuzz when it can; its fontTools fallback stamps the time
# into each font, so the same handbook would not give the same PDF bytes twice.
have_lib harfbuzz-subset || missing+=(libharfbuzz-subset0)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v qpdf >/dev/null 2>&1 || missing+=(qpdf)  # tests: the PDF structure is checked by a tool we did not write
fonts=$(fc-list : family 2>/dev/null || true)  # read whole: `grep -q` on a pipe trips pipefail
grep -qi "DejaVu Sans" <<<"$fonts" || missing+=(fonts-dejavu-core)
grep -qi "Noto Sans Arabic" <<<"$fonts" || missing+=(fonts-noto-core)
# The browser tests (tests/browser/): Debian's chromium driven by Playwright (which never
# downloads a browser of its own here), vnu.jar run with Java, axe-core and vnu.jar from npm.
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "$use_venv" = 1 ] && [ ! -x .venv/bin/python ] && ! python3 -c "import ensurepip, venv" 2>/dev/null; then
  missing+=(python3-venv)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "install.sh: installing system packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "install.sh: need root (or sudo) to install ${missing[*]} with apt-get" >&2; exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

python=python3
if [ "$use_venv" = 1 ]; then
  [ -x .venv/bin/python ] || python3 -m venv .venv
  python=.venv/bin/python
  echo "install.sh: installed into .venv/ (this python3 is managed by Debian); run '. .venv/bin/activate' before the tests"
fi
"$python" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -e '.[test]'
# axe-core and vnu.jar at the versions in package-lock.json; no install scripts (vnu-jar's would
# fetch a Java runtime: Debian's is used).
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
"$python" -m generator build
