#!/usr/bin/env bash
# Proves the packages as someone with only NuGet would use them: packs AsrBilling and
# AsrBilling.Cli with a unique version into a temporary feed, then
#   1. builds a fresh console app that references AsrBilling from that feed and checks that
#      PriceCalculator.Compute(AsrService.RealTime, 315m) is 378.00;
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
dotnet pack "$root/src/AsrBilling.Cli" -c Release -o "$work/feed" -p:Version="$version" -v quiet -nologo
for package in AsrBilling AsrBilling.Cli; do
  for kind in nupkg snupkg; do
    [[ -f "$work/feed/$package.$version.$kind" ]] || { echo "consumer: missing $package.$version.$kind"; exit 1; }
  done
done

echo "consumer: a fresh console app referencing AsrBilling $version"
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
cat > Program.cs <<'CS'
using AsrBilling;

var charge = PriceCalculator.Compute(AsrService.RealTime, 315m);
Console.WriteLine(charge);
if (charge.Fee != new Money(378.00m, "USD") || charge.Fee.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture) != "378.00")
{
    Console.Error.WriteLine($"expected 378.00 USD, got {charge.Fee}");
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
