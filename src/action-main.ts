#!/usr/bin/env node
import { runAction } from './cli/action-args.js';
import { processIo } from './cli/io.js';

// Entry point of the GitHub Action (action.yml): GitHub passes the inputs as INPUT_<NAME>
// variables; they become `secretsync pipeline` flags and the CLI runs in this process. With
// `output-format: github` the CLI writes the step outputs to $GITHUB_OUTPUT itself.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.exitCode = await runAction(processIo());
