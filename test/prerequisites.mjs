#!/usr/bin/env node
// Before the first test: what `npm test` needs beyond `npm ci`, checked at once, so a fresh
// machine stops with the one command that installs it instead of failing late in the browser
// and CLI tests. Plain JavaScript, so it runs before anything is compiled.
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** As `command -v` finds it: an executable on PATH (not run: the AWS CLI alone takes seconds to start). */
const found = (command) =>
  (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

/** What is missing, as Debian packages: the machines here come with Node and Java, not with these. */
const missing = [
  ...(found('java') ? [] : [{ what: 'Java 17 (DynamoDB Local)', apt: 'openjdk-17-jre-headless' }]),
  ...(existsSync('/usr/bin/chromium') ? [] : [{ what: 'Chromium at /usr/bin/chromium (the dashboard tests)', apt: 'chromium' }]),
  ...(found('aws') ? [] : [{ what: 'the AWS CLI (the local Step Functions service is driven by it, never real AWS)', apt: 'awscli' }]),
];

if (missing.length > 0) {
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  console.error(`npm test needs ${missing.map((item) => item.what).join(', ')}. Install with:`);
  console.error(`  ${sudo}apt-get update && ${sudo}apt-get install -y ${missing.map((item) => item.apt).join(' ')}`);
  process.exit(1);
}
