#!/usr/bin/env bash
# Adds an EF Core migration to a service: scripts/add-migration.sh users AddDevices
# Runs dotnet-ef (a local tool) with tools/Derp.DesignTime as the startup project.
set -euo pipefail
cd "$(dirname "$0")/.."
service="$1"; name="$2"
project=$(ls services/"$service"/Derp.*.Api/*.csproj | head -1)
context="$(tr '[:lower:]' '[:upper:]' <<< "${service:0:1}")${service:1}Context"
dotnet tool restore >/dev/null
dotnet ef migrations add "$name" --project "$project" --startup-project tools/Derp.DesignTime \
  --context "$context" --output-dir Infrastructure/Migrations
