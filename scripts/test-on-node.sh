#!/usr/bin/env bash
# Runs every package's unit and type tests (not the release e2e) on other Node.js majors, from
# npm's `node` package, after `pnpm test` has built what the tests need. Reports land beside
# Node 20's as reports/vitest.node<major>.json, which the CI totals add up.
# usage: scripts/test-on-node.sh 22 24
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
for major in "$@"; do
  prefix=$(mktemp -d)
  if ! npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error "node@$major" >/dev/null; then
    echo "could not install Node $major from npm's node package"; exit 1
  fi
  echo "Node $("$prefix/node_modules/.bin/node" --version): unit and type tests"
  PATH="$prefix/node_modules/.bin:$PATH" pnpm -r --workspace-concurrency=1 \
    --filter './packages/*' --filter './tools/codegen' \
    exec vitest run --reporter=dot --reporter=json --outputFile.json="reports/vitest.node$major.json" || status=1
  rm -rf "$prefix"
done
exit $status
