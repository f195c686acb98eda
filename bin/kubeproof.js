#!/bin/sh
":" //; case " $NODE_OPTIONS " in *semi-space*) exec node "$0" "$@" ;; esac; exec node --max-semi-space-size=8 "$0" "$@"
// Above, a line that sh runs and JavaScript reads as a string and a comment: sh starts node with
// V8's young generation capped at 2 x 8 MiB (no portable shebang can pass a flag). Left alone, V8
// doubles it to 2 x 16 MiB once 16 MiB have survived since the last growth, which any run of more than
// a few dozen tests reaches, so a test run's peak RSS grew by 16 MiB while the number of scavenges it
// saved stays far below what a run's CPU notices (bench:suite). A --max-semi-space-size in NODE_OPTIONS
// wins. `node bin/kubeproof.js` skips the line and runs uncapped.
//
// The CLI is compiled to dist/ by `npm run build`, which `npm ci` runs through `prepare`.
import "../dist/cli/bin.js";
