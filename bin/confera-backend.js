#!/usr/bin/env -S node --max-old-space-size=128 --max-semi-space-size=8
import { runEntry } from './run-entry.js';

await runEntry('backend/server');
