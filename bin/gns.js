#!/usr/bin/env node
// Entry point of the `gns` command: runs the compiled CLI.
import { main } from '../dist/src/cli/main.js';
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
