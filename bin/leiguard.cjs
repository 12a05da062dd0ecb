#!/usr/bin/env node
// `npx leiguard <command>`: the operator CLI (app/cli). TypeScript is loaded through tsx, as
// `npm start` does, so the CLI runs the same sources as the service.
require('tsx/cjs/api').register();
require('../app/cli/run.ts');
