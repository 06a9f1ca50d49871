#!/usr/bin/env node
import { runCli } from './cli/program.js';
import { processIo } from './cli/io.js';

// Composition root: parse argv, run, map the outcome to the exit code. Nothing else lives here.

// The pinned AWS SDK supports Node.js 20; its notice that later SDK releases will need Node.js 22
// is for us (docs/installation), not for every operator on every run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.exitCode = await runCli(process.argv.slice(2), processIo());
