#!/usr/bin/env bash
# Mutation testing of the library with Stryker.NET (the local tool in dotnet-tools.json), on the
# Microsoft.Testing.Platform runner. It runs the whole suite against every mutant, so it is too
# slow for CI: run it by hand. The HTML and JSON reports land in tests/AsrBilling.Tests/StrykerOutput/.
# Extra arguments go to Stryker, for example --mutate '**/Pricing/*.cs' to mutate one folder.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore
cd tests/AsrBilling.Tests
dotnet dotnet-stryker --test-runner mtp --project AsrBilling.csproj --target-framework net10.0 \
  --reporter html --reporter json --reporter progress --break-at 85 "$@"
