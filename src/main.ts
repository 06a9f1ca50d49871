#!/usr/bin/env node
import { runCli } from './cli/program.js';
import { processIo } from './cli/io.js';

// Composition root: parse argv, run, map the outcome to the exit code. Nothing else lives here.
process.exitCode = await runCli(process.argv.slice(2), processIo());
