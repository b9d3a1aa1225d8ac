#!/usr/bin/env bash
# Measures `bill --format json` against DuckDB over the shapes of usage in the README's "Large bills"
# table: logs of RECORDS rows from 50, 10,000 and 100,000 accounts with 0 and 50 tags each, plus the
# 10,000 x 50 log with its accounts drawn uniformly. Each log is made with `sample`, measured by
# duckdb-peer.sh (medians of REPS runs), and deleted; the rows of the table are printed at the end.
#
# usage: matrix.sh [RECORDS]   (default 10000000; each log of 10 M rows takes about 800 MB on disk)
#   (build first: dotnet build -c Release src/AsrBilling.Cli)
# env: REPS (default 5), WORK (where the logs are made; default a new temporary folder)
set -euo pipefail
records=${1:-10000000}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cli="$root/src/AsrBilling.Cli/bin/Release/net10.0/asr-billing.dll"
[[ -f $cli ]] || { echo "matrix.sh: build first: dotnet build -c Release src/AsrBilling.Cli" >&2; exit 2; }
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
rows=()
trap 'rm -f "$work"/matrix-*.csv' EXIT

commas() { sed -e ':a' -e 's/\B[0-9]\{3\}\>/,&/' -e 'ta'; }

row() { # name accounts tags file
  local out totals ours peer ratio memory
  out=$(cd "$root" && bash "$here/duckdb-peer.sh" "$4")
  grep -q '^totals agree' <<<"$out" || { echo "$out" >&2; echo "matrix.sh: totals differ on $1" >&2; exit 1; }
  totals=$(dotnet "$cli" bill "$4" --format csv | tail -n +2 | wc -l | commas)
  ours=$(sed -n 's/^ours: *median \([0-9.]*\) s, peak \([0-9]*\) MB.*/\1 s|\2/p' <<<"$out")
  peer=$(sed -n 's/^duckdb: *median \([0-9.]*\) s, peak \([0-9]*\) MB.*/\1 s|\2/p' <<<"$out")
  ratio=$(sed -n 's/^ratio ours\/duckdb: //p' <<<"$out")
  memory=$(sed -n 's/^memory ours\/duckdb: //p' <<<"$out")
  rows+=("| $2 | $3 | $totals | ${ours%|*} | ${peer%|*} | $ratio | ${ours#*|} / ${peer#*|} MB = $memory |")
  echo "${rows[-1]}"
}

for shape in "50 0" "50 50" "10000 0" "10000 50" "100000 0" "100000 50"; do
  read -r accounts tags <<<"$shape"
  file="$work/matrix-a$accounts-t$tags.csv"
  dotnet "$cli" sample --records "$records" --accounts "$accounts" --tags "$tags" >"$file"
  row "$accounts x $tags" "$(commas <<<"$accounts")" "$tags" "$file"
  if [[ $shape == "10000 50" ]]; then
    # The same log with each row's account drawn uniformly from the 10,000.
    awk -F, -v OFS=, 'BEGIN{srand(5)} NR==1{print;next} {$2=sprintf("acct-%05d", int(rand()*10000)+1); print}' "$file" >"$work/matrix-uniform.csv"
    rm -f "$file"
    row "10000 uniform x 50" "10,000 uniform" 50 "$work/matrix-uniform.csv"
    rm -f "$work/matrix-uniform.csv"
  fi
  rm -f "$file"
done

echo
echo "| accounts | tags per account | daily totals | ours | DuckDB | time ratio | peak memory ours / DuckDB |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
