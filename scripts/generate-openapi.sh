#!/usr/bin/env bash
# Regenerates the code generated from Sources/TaskAPIContract/openapi.yaml: the types and server protocol in
# TaskAPIContract/Generated (plus the document itself as embedded JSON, what /openapi.json serves), and the client
# in TaskAPIClient/Generated. Run it after every change to the contract;
# scripts/check-openapi-generated.sh (run by the test command) fails while the committed code is stale.
set -euo pipefail
cd "$(dirname "$0")/.."

contract=Sources/TaskAPIContract
generated=$contract/Generated
client=Sources/TaskAPIClient/Generated
scratch=.build-openapi-generator

swift build --package-path scripts/openapi-generator --scratch-path "$scratch" \
    --product swift-openapi-generator >&2
generator="$(swift build --package-path scripts/openapi-generator --scratch-path "$scratch" --show-bin-path)/swift-openapi-generator"

rm -rf "$generated" "$client"
mkdir -p "$generated" "$client"
"$generator" generate "$contract/openapi.yaml" \
    --config "$contract/openapi-generator-config.yaml" --output-directory "$generated" >&2
"$generator" generate "$contract/openapi.yaml" \
    --config "$(dirname "$client")/openapi-generator-config.yaml" --output-directory "$client" >&2
# Swift 6.3 warns about each access-level import a file leaves unused, and only Swift 6.4 honours the generator's
# @diagnose(UnusedImportAccess) guard. In Swift 6 mode a plain import is public anyway, so the same code compiles
# warning-free without the modifier. Drop this once the toolchain is 6.4.
sed -i -E 's/^(@_spi\(Generated\) )?public import /\1import /' "$generated"/*.swift "$client"/*.swift
python3 scripts/openapi_document.py render > "$generated/OpenAPIDocument.swift"
echo "Regenerated $generated and $client" >&2
