#!/usr/bin/env bash
# The example policy briefs in docs/examples/ (Dutch and English, HTML and PDF), made with the
# documented commands on the current model: one scenarios sweep run by `samen brief` (Dutch),
# then the English brief read from the same sweep with `samen brief --from`. Small enough to
# run in a few minutes on two cores: 20 replications at one simulated citizen per 2,000
# residents (the brief's method box says so). Run with `make examples`; the sweep and the
# figures stay in results/examples/ (not in git).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
samen=.venv/bin/samen
work=results/examples
rm -rf "$work"
"$samen" brief --lang nl --replications 20 --set population_scale=2000 --out "$work/nl"
"$samen" brief --from "$work/nl/sweep" --lang en --out "$work/en"
mkdir -p docs/examples
for lang in nl en; do
    cp "$work/$lang/brief.html" "docs/examples/brief-$lang.html"
    cp "$work/$lang/brief.pdf" "docs/examples/brief-$lang.pdf"
done
ls -l docs/examples/brief-*
