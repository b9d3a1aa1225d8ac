#!/usr/bin/env bash
# Measures `bill --format json` against DuckDB over the shapes of usage in the README's "Large bills"
# table: logs of RECORDS rows from 50, 10,000 and 100,000 accounts with 0 and 50 tags each, plus the
# 10,000 x 50 log with its accounts drawn uniformly. Each log is made with `sample`, measured by
# duckdb-peer.sh (medians of REPS runs), and deleted; the rows of the table are printed at the end,
# with `--allocate-by tag --format csv` against the plain bill on the 10,000 x 50 log, and on that log with
# every tag made its account's own name (500,000 distinct tags).
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

# `--allocate-by tag --format csv` against the plain bill as JSON on the same log, runs alternating.
allocation() {
  local plain=() split=() t0 t1 i
  for ((i = 0; i < ${REPS:-5}; i++)); do
    t0=$(date +%s.%N); dotnet "$cli" bill "$1" --format json >/dev/null; t1=$(date +%s.%N)
    plain+=("$(echo "$t1 - $t0" | bc -l)")
    t0=$(date +%s.%N); dotnet "$cli" bill "$1" --allocate-by tag --format csv >/dev/null; t1=$(date +%s.%N)
    split+=("$(echo "$t1 - $t0" | bc -l)")
  done
  local p s
  p=$(printf '%s\n' "${plain[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  s=$(printf '%s\n' "${split[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  allocation_line=$(printf -- '--allocate-by tag --format csv: median %.2f s against %.2f s for the plain bill as JSON: %.2f times' "$s" "$p" "$(echo "$s / $p" | bc -l)")
  echo "$allocation_line"
}

allocation_line=""
own_allocation_line=""
for shape in "50 0" "50 50" "10000 0" "10000 50" "100000 0" "100000 50"; do
  read -r accounts tags <<<"$shape"
  file="$work/matrix-a$accounts-t$tags.csv"
  dotnet "$cli" sample --records "$records" --accounts "$accounts" --tags "$tags" >"$file"
  row "$accounts x $tags" "$(commas <<<"$accounts")" "$tags" "$file"
  if [[ $shape == "10000 50" ]]; then
    allocation "$file"
    # The same log with every tag an account's own name (acct-0006-t33): 500,000 distinct tags.
    awk -F, -v OFS=, 'NR==1{print;next} {if($6!="") $6=$2 "-" $6; print}' "$file" >"$work/matrix-own-tags.csv"
    shared_allocation_line=$allocation_line
    allocation "$work/matrix-own-tags.csv"
    own_allocation_line=$allocation_line
    allocation_line=$shared_allocation_line
    rm -f "$work/matrix-own-tags.csv"
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
echo
echo "10,000 x 50: $allocation_line"
echo "10,000 x 50, each tag an account's own name: $own_allocation_line"
