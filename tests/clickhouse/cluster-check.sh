#!/usr/bin/env bash
# The generated daily-totals SQL on a real ClickHouse cluster:
#   1. installs clickhouse-server and clickhouse-client from Debian's packages when they are missing
#      (apt-get update first when the package lists lack them);
#   2. starts two servers as plain processes on loopback ports, each with its own folders under a
#      temporary directory, and a Distributed table `usage` over a MergeTree table on each (two shards);
#   3. loads a generated usage log (`asr-billing sample`, plus repeated ids and rows without an id)
#      through the Distributed table;
#   4. for each price book and zone below, runs `asr-billing sql --dialect clickhouse`, writes the
#      totals as CSV, bills them with `bill --daily-totals`, and checks that bill, charge by charge
#      (account, service, date, billable seconds, tier, price, fee), against `bill --duplicates ignore`
#      on the same records.
# The servers are stopped on exit, also when a step fails. Exits 0 when every check holds.
# ROWS (default 200000) sets the size of the log; ASR_BILLING sets the tool (default: a Debug build).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/tests/clickhouse"
rows=${ROWS:-200000}
work=$(mktemp -d)
pids=()

# Stops the servers: TERM, then KILL for one that is still there after 10 s.
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap stop EXIT

say() { echo "clickhouse: $*"; }
started=$SECONDS

# 1. ClickHouse from Debian (18.16 on bookworm).
if [[ ! -x /usr/sbin/clickhouse-server || ! -x /usr/bin/clickhouse-client ]]; then
  if ! apt-cache policy clickhouse-server 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    say "apt-get update"
    apt-get update -qq
  fi
  say "installing clickhouse-server and clickhouse-client"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clickhouse-server clickhouse-client >/dev/null
fi
# Without -q the client reads standard input: `client` gives it none, `client_reading` the caller's.
client_reading() { /usr/bin/clickhouse-client --host 127.0.0.1 "$@"; }
client() { client_reading "$@" </dev/null; }

# The tool: the Debug build that `dotnet test` made, built here when it is missing.
tool=${ASR_BILLING:-"$root/src/AsrBilling.Cli/bin/Debug/net10.0/asr-billing"}
if [[ ! -x "$tool" ]]; then
  dotnet build "$root/src/AsrBilling.Cli" -v quiet -nologo >/dev/null
fi

# 2. Two shards on loopback ports picked from this process's id, so that runs side by side differ.
base=$((20000 + ($$ % 2000) * 4))
ports=("$base" "$((base + 2))")
for shard in 0 1; do
  dir="$work/shard$shard"
  mkdir -p "$dir/data" "$dir/tmp" "$dir/user_files"
  cat > "$dir/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <profiles><default></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default></default></quotas>
</yandex>
XML
  cat > "$dir/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$dir/server.log</log><errorlog>$dir/error.log</errorlog></logger>
  <listen_host>127.0.0.1</listen_host>
  <tcp_port>${ports[$shard]}</tcp_port>
  <http_port>$((ports[shard] + 1))</http_port>
  <path>$dir/data/</path>
  <tmp_path>$dir/tmp/</tmp_path>
  <user_files_path>$dir/user_files/</user_files_path>
  <users_config>$dir/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>67108864</mark_cache_size>
  <remote_servers>
    <usage_cluster>
      <shard><replica><host>127.0.0.1</host><port>${ports[0]}</port></replica></shard>
      <shard><replica><host>127.0.0.1</host><port>${ports[1]}</port></replica></shard>
    </usage_cluster>
  </remote_servers>
</yandex>
XML
  (cd "$dir" && exec /usr/sbin/clickhouse-server --config-file="$dir/config.xml" >"$dir/stdout.log" 2>&1) &
  pids+=($!)
done

for shard in 0 1; do
  for _ in $(seq 100); do
    client --port "${ports[$shard]}" -q "SELECT 1" >/dev/null 2>&1 && break
    kill -0 "${pids[$shard]}" 2>/dev/null || { cat "$work/shard$shard/stdout.log" "$work/shard$shard/error.log" 2>/dev/null; say "shard $shard did not start"; exit 1; }
    sleep 0.2
  done
  client --port "${ports[$shard]}" -q "SELECT 1" >/dev/null || { say "shard $shard does not answer on port ${ports[$shard]}"; exit 1; }
done
say "two shards of ClickHouse $(client --port "${ports[0]}" -q 'SELECT version()') on ports ${ports[*]} ($((SECONDS - started)) s)"

columns="id String, account String, service String, start String, duration_seconds String, tag String"
for port in "${ports[@]}"; do
  # MergeTree: a Log table on the server that takes a synchronous distributed insert stays locked after it in 18.16.
  client --port "$port" -q "CREATE TABLE usage_local ($columns) ENGINE = MergeTree() ORDER BY tuple()"
done
client --port "${ports[0]}" -q "CREATE TABLE usage ($columns) ENGINE = Distributed(usage_cluster, default, usage_local, rand())"
# The China book prices two services: its rows are these.
client --port "${ports[0]}" -q "CREATE VIEW usage_china AS SELECT * FROM usage WHERE service IN ('real-time', 'recording-file')"

# 3. Twelve days over both 2025 autumn switches (Berlin 10-26, New York 11-02), 1,000 repeated ids
#    and 1,000 rows without an id.
log="$work/usage.csv"
"$tool" sample --records "$rows" --from 2025-10-24 --days 12 --seed 16 > "$log"
sed -n '2,1001p' "$log" > "$work/repeats.csv"
tail -n 1000 "$log" | sed 's/^[^,]*,/,/' > "$work/no-ids.csv"
cat "$work/repeats.csv" "$work/no-ids.csv" >> "$log"
# Synchronous, so that every row is on its shard before the count (18.16 has no SYSTEM FLUSH DISTRIBUTED).
client_reading --port "${ports[0]}" --insert_distributed_sync=1 -q "INSERT INTO usage FORMAT CSVWithNames" < "$log"
loaded=$(client --port "${ports[0]}" -q "SELECT count() FROM usage")
per_shard=$(for port in "${ports[@]}"; do client --port "$port" -q "SELECT count() FROM usage_local"; done | paste -sd/)
expected=$((rows + 2000))
[[ "$loaded" == "$expected" ]] || { say "loaded $loaded rows, expected $expected"; exit 1; }
[[ "$per_shard" != 0/* && "$per_shard" != */0 ]] || { say "a shard holds no rows ($per_shard)"; exit 1; }
say "loaded $loaded rows ($per_shard per shard) ($((SECONDS - started)) s)"

head -n 1 "$log" > "$work/usage-china.csv"
awk -F, 'NR > 1 && ($3 == "real-time" || $3 == "recording-file")' "$log" >> "$work/usage-china.csv"

# 4. Each case: price book, zone, table, usage CSV.
failures=0
check() {
  local prices=$1 zone=$2 table=$3 csv=$4
  local name="$(basename "$prices") in $zone"
  "$tool" sql --dialect clickhouse --prices "$prices" --zone "$zone" --table "$table" > "$work/query.sql"
  if ! client_reading --port "${ports[0]}" --format CSVWithNames --multiquery < "$work/query.sql" > "$work/totals.csv" 2> "$work/query.err"; then
    say "FAILED $name: the query failed: $(head -c 600 "$work/query.err")"
    failures=$((failures + 1))
    return
  fi
  "$tool" bill --daily-totals "$work/totals.csv" --prices "$prices" --format csv > "$work/from-sql.csv"
  "$tool" bill "$csv" --prices "$prices" --zone "$zone" --duplicates ignore --format csv > "$work/from-records.csv"
  local charges=$(($(wc -l < "$work/from-records.csv") - 1))
  if cmp -s "$work/from-sql.csv" "$work/from-records.csv" && ((charges > 100)); then
    local total=$("$tool" bill --daily-totals "$work/totals.csv" --prices "$prices" --format json | grep -o '"total":[0-9.]*' | head -n 1)
    say "ok $name: $charges daily charges agree, ${total#\"total\":} in all"
  else
    say "FAILED $name: the bills differ ($charges charges from the records)"
    diff "$work/from-sql.csv" "$work/from-records.csv" | head -n 10 || true
    failures=$((failures + 1))
  fi
}

check tencent-cloud-international Asia/Shanghai usage "$log"
check tencent-cloud-international America/New_York usage "$log"
check tencent-cloud-international Europe/Berlin usage "$log"
check tencent-cloud-china Asia/Shanghai usage_china "$work/usage-china.csv"
check "$here/increment-15s-minimum-60s.json" Asia/Shanghai usage "$log"
check "$here/increment-15s-minimum-60s.json" America/New_York usage "$log"
check "$here/rules-change-2025-10-30.json" Europe/Berlin usage "$log"

say "$((SECONDS - started)) s in all"
((failures == 0))
