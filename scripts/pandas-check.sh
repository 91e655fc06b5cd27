#!/usr/bin/env bash
# The Salesforce export of `run --salesforce` read by pandas: every file
# opens, its columns are the fields of the docs' `sf data export bulk`
# commands (docs/salesforce-data.md), every id has 18 characters and every
# datetime parses. Installs pandas with pip if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -c "import pandas" 2>/dev/null || python3 -m pip install --quiet pandas
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo run --release --quiet -- run scenarios/salesforce_day.toml --salesforce \
    --timezone Europe/Paris --replications 1 --quiet --out "$out/day"
python3 scripts/pandas_check.py docs/salesforce-data.md "$out/day/salesforce"
