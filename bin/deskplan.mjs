#!/usr/bin/env node
// `npx deskplan …`: the CLI in admin/cli.ts, run through tsx (TypeScript, no build step).
import { register } from 'tsx/esm/api';

register();
await import('../admin/cli.ts');
