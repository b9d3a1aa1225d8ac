#!/usr/bin/env bash
# Proves the packages as someone with only NuGet would use them: packs AsrBilling, AsrBilling.Csv, AsrBilling.Parquet
# and AsrBilling.Cli with a unique version into a temporary feed, then
#   1. builds a fresh console app that references AsrBilling and AsrBilling.Csv from that feed and
#      checks that PriceCalculator.Compute(AsrService.RealTime, 315m) is 378.00, and that a small
#      usage CSV read with UsageCsv.Read bills to its total worked out by hand;
#   1b. builds a second app referencing AsrBilling.Parquet that writes three rows with Parquet.Net and
#      checks that UsageParquet.Read bills them to the same 1.90 USD;
#   2. installs the tool into a temporary --tool-path and checks `asr-billing price real-time 315 --json`.
# A private NUGET_PACKAGES folder keeps a stale copy of an earlier pack out. Exits 0 when both hold.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version="0.1.0-consumer.$(date +%s).$$"
export NUGET_PACKAGES="$work/packages" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "consumer: packing $version"
dotnet pack "$root/src/AsrBilling" -c Release -o "$work/feed" -p:Version="$version" -v quiet -nologo
dotnet pack "$root/src/AsrBilling.Csv" -c Release -o "$work/feed" -p:Version="$version" -v quiet -nologo
dotnet pack "$root/src/AsrBilling.Parquet" -c Release -o "$work/feed" -p:Version="$version" -v quiet -nologo
dotnet pack "$root/src/AsrBilling.Cli" -c Release -o "$work/feed" -p:Version="$version" -v quiet -nologo
for package in AsrBilling AsrBilling.Csv AsrBilling.Parquet AsrBilling.Cli; do
  for kind in nupkg snupkg; do
    [[ -f "$work/feed/$package.$version.$kind" ]] || { echo "consumer: missing $package.$version.$kind"; exit 1; }
  done
done

echo "consumer: a fresh console app referencing AsrBilling and AsrBilling.Csv $version"
mkdir "$work/app"
cd "$work/app"
cat > nuget.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="asr-billing-local" value="$work/feed" />
  </packageSources>
</configuration>
XML
dotnet new console --framework net10.0 -n ConsumerApp -o . >/dev/null
dotnet add package AsrBilling --version "$version" >/dev/null
dotnet add package AsrBilling.Csv --version "$version" >/dev/null
# Billing days in Asia/Shanghai: acme's real-time 2025-09-01 is 3600 s + 0.2 s (billed as 1 s) = 3601 s
# at tier 1, 1.40 USD/h: 3601 × 1.4 ÷ 3600 = 1.40038… → 1.40; beta's 20:00Z is 04:00 on 2025-09-02:
# 1800 s of recording file at 1.00 USD/h = 0.50. Total 1.90 USD.
cat > usage.csv <<'CSV'
id,account,service,start,duration_seconds,tag
a,acme,real-time,2025-09-01T02:00:00Z,3600,
b,acme,real-time,2025-09-01T03:00:00Z,0.2,support
c,beta,recording-file,2025-09-01T20:00:00Z,1800,
CSV
cat > Program.cs <<'CS'
using AsrBilling;
using AsrBilling.Csv;

var charge = PriceCalculator.Compute(AsrService.RealTime, 315m);
Console.WriteLine(charge);
if (charge.Fee != new Money(378.00m, "USD") || charge.Fee.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture) != "378.00")
{
    Console.Error.WriteLine($"expected 378.00 USD, got {charge.Fee}");
    return 1;
}

var options = new UsageCsvOptions { Billing = BillingOptions.Default, KeepRejects = true };
UsageCsvResult result = UsageCsv.Read("usage.csv", options);
var bill = PriceCalculator.Compute(result.Totals, options.Billing);
Console.WriteLine(bill);
if (bill.Total != new Money(1.90m, "USD") || result.RowsRead != 3 || result.RowsBilled != 3 || result.Rejects.Count != 0 || bill.Charges.Count != 2)
{
    Console.Error.WriteLine($"expected 1.90 USD from 3 rows in 2 charges, got {bill.Total} from {result.RowsBilled} rows in {bill.Charges.Count} charges");
    return 1;
}

try
{
    using var bad = new MemoryStream("service,start,duration_seconds\nreal-time,yesterday,5\n"u8.ToArray());
    UsageCsv.Read(bad);
    Console.Error.WriteLine("expected a UsageCsvException for a bad start");
    return 1;
}
catch (UsageCsvException e) when (e.Line == 2 && e.Column == "start" && e is AsrBillingException)
{
    Console.WriteLine($"bad row: {e.Message}");
}

return 0;
CS
dotnet run -c Release

echo "consumer: a fresh console app referencing AsrBilling.Parquet $version"
mkdir "$work/parquet-app"
cd "$work/parquet-app"
cp "$work/app/nuget.config" .
dotnet new console --framework net10.0 -n ParquetApp -o . >/dev/null
dotnet add package AsrBilling.Parquet --version "$version" >/dev/null
# The same rows as usage.csv above, written with Parquet.Net (the package's own dependency): 1.90 USD.
cat > Program.cs <<'CS'
using AsrBilling;
using AsrBilling.Parquet;
using Parquet;
using Parquet.Schema;

var fields = new DataField[] { new DataField<string>("account"), new DataField<string>("service"), new DataField<string>("start"), new DataField<decimal>("duration_seconds") };
using var file = new MemoryStream();
await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), file))
{
    using var group = writer.CreateRowGroup();
    await group.WriteAsync(fields[0], new[] { "acme", "acme", "beta" });
    await group.WriteAsync(fields[1], new[] { "real-time", "real-time", "recording-file" });
    await group.WriteAsync(fields[2], new[] { "2025-09-01T02:00:00Z", "2025-09-01T03:00:00Z", "2025-09-01T20:00:00Z" });
    await group.WriteAsync<decimal>(fields[3], new[] { 3600m, 0.2m, 1800m }.AsMemory());
}

file.Position = 0;
var options = new UsageParquetOptions { Billing = BillingOptions.Default, KeepRejects = true };
UsageParquetResult result = UsageParquet.Read(file, options);
var bill = PriceCalculator.Compute(result.Totals, options.Billing);
Console.WriteLine(bill.Total);
if (bill.Total != new Money(1.90m, "USD") || result.RowsBilled != 3)
{
    Console.Error.WriteLine($"expected 1.90 USD from 3 rows, got {bill.Total} from {result.RowsBilled} rows");
    return 1;
}

return 0;
CS
dotnet run -c Release

echo "consumer: the tool from the same feed"
dotnet tool install AsrBilling.Cli --version "$version" --tool-path "$work/tools" --add-source "$work/feed" >/dev/null
json=$("$work/tools/asr-billing" price real-time 315 --json)
echo "$json"
grep -q '"fee":378.00' <<<"$json" || { echo "consumer: the tool did not price 315 h at 378.00"; exit 1; }
echo "consumer: passed"
