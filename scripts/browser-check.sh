#!/usr/bin/env bash
# Browser check of report.html: builds the quickstart report, opens it in
# headless Chromium, and fails if the browser logs any console message or
# if a chart is missing, has no size on the page, or draws nothing. Then
# saves a screenshot, quickstart-report.png. Then the same for the staffing
# page of `omnisim plan` (bank-day-plan.png). The screenshots go into a
# temporary folder, so a check never changes a tracked file; to refresh
# the ones the docs show, give their folder: SHOTS=docs/img.
#
# Why a real browser: the Rust tests check the HTML text (every chart's
# <svg>, titles, no network reference, same bytes twice); only a browser
# can say that the page parses, lays out and paints the way we expect.
#
# Usage: scripts/browser-check.sh            (from anywhere in the repo)
# Env:   SHOT_SIZE=1200,3000  window size of the screenshot (width,height)
#        KEEP=1              keep the temporary folder and print its path
#        SHOTS=DIR           where the screenshots go (default: the
#                            temporary folder; docs/img refreshes the docs)
#
# Chromium is installed from the Debian packages when `chromium` is not on
# the PATH (needs root or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if ! command -v chromium >/dev/null 2>&1; then
    echo "browser-check: chromium not found, installing it from Debian packages" >&2
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y chromium
fi

tmp=$(mktemp -d)
profile=$(mktemp -d)
cleanup() {
    rm -rf "$profile"
    if [ "${KEEP:-0}" = 1 ]; then echo "browser-check: files kept in $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

cargo run --release --quiet -- run scenarios/quickstart.toml --quiet --out "$tmp" --report
report="$tmp/report.html"
test -s "$report" || { echo "browser-check: $report was not written" >&2; exit 1; }

# Headless Chromium without anything that talks to the network on its own
# (so an unexpected request can only come from the page), a throw-away
# profile, and console messages logged to stderr.
chrome() {
    timeout 180 chromium --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking --disable-component-update \
        --disable-sync --disable-extensions --hide-scrollbars \
        --user-data-dir="$profile" --enable-logging=stderr --v=0 "$@"
}

fail=0

# 1. The report as it is: parse it, and collect every console message.
# The page has no script, so any console line (a parse problem, a blocked
# or failed load, a CSP complaint) is an error.
chrome --dump-dom "file://$report" >"$tmp/dom.html" 2>"$tmp/chrome.log" || {
    echo "browser-check: chromium failed on the report:" >&2
    tail -n 20 "$tmp/chrome.log" >&2
    exit 1
}
if grep -E ':CONSOLE[:(]' "$tmp/chrome.log" >"$tmp/console.log"; then
    echo "browser-check: console messages while loading the report:" >&2
    cat "$tmp/console.log" >&2
    fail=1
fi
if grep -E 'net::ERR_' "$tmp/chrome.log" >"$tmp/net.log"; then
    echo "browser-check: failed loads:" >&2
    cat "$tmp/net.log" >&2
    fail=1
fi
figures=$(grep -o '<figure class="chart"' "$report" | wc -l)
svgs=$(grep -o '<svg' "$tmp/dom.html" | wc -l)
if [ "$figures" -lt 10 ] || [ "$svgs" -ne "$figures" ]; then
    echo "browser-check: $figures chart figures in the file, $svgs <svg> in the browser's DOM (want 10 or more, equal)" >&2
    fail=1
fi
# Every <svg> in the parsed DOM must hold drawing elements.
empty=$(awk 'BEGIN { RS = "</svg>"; n = 0 }
    /<svg/ { s = substr($0, index($0, "<svg"));
             if (s !~ /<(polyline|rect|path|circle)/) n++ }
    END { print n }' "$tmp/dom.html")
if [ "$empty" -ne 0 ]; then
    echo "browser-check: $empty chart(s) without any drawing element" >&2
    fail=1
fi

# 2. A copy of the report with a measuring script appended (the report
# itself has none): each chart must be laid out with a real size, and most
# of its marks must have a non-empty bounding box once painted.
cat >"$tmp/measure.js" <<'EOF'
<script>
(function () {
  var lines = [], bad = 0;
  document.querySelectorAll('figure.chart').forEach(function (f) {
    var svg = f.querySelector('svg');
    var box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
    var marks = svg ? svg.querySelectorAll('polyline, rect, path, circle') : [];
    var drawn = 0;
    marks.forEach(function (m) {
      var b = m.getBBox();
      if (b.width > 0 || b.height > 0) drawn++;
    });
    var ok = box.width > 200 && box.height > 150 && drawn > 2;
    if (!ok) bad++;
    lines.push(f.dataset.chart + ' ' + Math.round(box.width) + 'x' + Math.round(box.height) +
               ' marks=' + marks.length + ' drawn=' + drawn + (ok ? ' OK' : ' FAIL'));
  });
  var pre = document.createElement('pre');
  pre.id = 'browser-check';
  pre.textContent = lines.join('\n') + '\nBAD=' + bad + ' CHARTS=' + lines.length + '\n';
  document.body.appendChild(pre);
})();
</script>
EOF
awk -v js="$tmp/measure.js" '/<\/body>/ { while ((getline l < js) > 0) print l } { print }' \
    "$report" >"$tmp/measure.html"
chrome --window-size=1200,3000 --dump-dom "file://$tmp/measure.html" >"$tmp/measure-dom.html" 2>"$tmp/measure.log"
sed -n '/<pre id="browser-check">/,/<\/pre>/p' "$tmp/measure-dom.html" \
    | sed -e 's/<[^>]*>//g' >"$tmp/measure.txt"
cat "$tmp/measure.txt"
if ! grep -q "BAD=0 CHARTS=$figures" "$tmp/measure.txt"; then
    echo "browser-check: some charts did not render (see FAIL above)" >&2
    fail=1
fi
if grep -E ':CONSOLE[:(]' "$tmp/measure.log" >&2; then
    echo "browser-check: console messages while measuring" >&2
    fail=1
fi

# 3. The screenshot for the docs.
shots=${SHOTS:-$tmp/shots}
case "$shots" in /*) ;; *) shots="$root/$shots" ;; esac
mkdir -p "$shots"
chrome --window-size="${SHOT_SIZE:-1200,3000}" --screenshot="$shots/quickstart-report.png" \
    "file://$report" 2>"$tmp/shot.log" >/dev/null
test -s "$shots/quickstart-report.png" || { echo "browser-check: no screenshot" >&2; fail=1; }

# 4. The staffing page of `omnisim plan`: it parses without a console
# message and every chart (required vs rostered per group, service level
# per queue) draws; a screenshot for docs/planning.md.
cargo run --release --quiet -- plan scenarios/bank_day.toml --quiet --out "$tmp/plan"
staffing="$tmp/plan/staffing.html"
chrome --dump-dom "file://$staffing" >"$tmp/plan-dom.html" 2>"$tmp/plan.log"
if grep -E ':CONSOLE[:(]|net::ERR_' "$tmp/plan.log" >&2; then
    echo "browser-check: console messages or failed loads on staffing.html" >&2
    fail=1
fi
plan_svgs=$(grep -o '<svg' "$tmp/plan-dom.html" | wc -l)
plan_empty=$(awk 'BEGIN { RS = "</svg>"; n = 0 }
    /<svg/ { s = substr($0, index($0, "<svg"));
             if (s !~ /<(polyline|rect|path|circle)/) n++ }
    END { print n }' "$tmp/plan-dom.html")
if [ "$plan_svgs" -lt 8 ] || [ "$plan_empty" -ne 0 ]; then
    echo "browser-check: staffing.html has $plan_svgs charts ($plan_empty empty); want 8, all drawn" >&2
    fail=1
fi
chrome --window-size=900,2600 --screenshot="$shots/bank-day-plan.png" \
    "file://$staffing" 2>"$tmp/plan-shot.log" >/dev/null
test -s "$shots/bank-day-plan.png" || { echo "browser-check: no plan screenshot" >&2; fail=1; }

if [ "$fail" -ne 0 ]; then
    echo "browser-check: FAILED" >&2
    exit 1
fi
echo "browser-check: OK ($figures charts rendered, no console message; screenshots in $shots; staffing.html: $plan_svgs charts)"
