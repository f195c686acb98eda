#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm run build`, which `npm ci` runs through `prepare`.
import "../dist/cli/bin.js";
