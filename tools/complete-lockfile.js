#!/usr/bin/env node
// The registry this project installs from serves Linux builds only, so `npm install` leaves the macOS/Windows/
// Android variants of native packages (@swc/core-darwin-arm64, …) out of package-lock.json, and `npm ci` then
// refuses the lock as out of sync. This adds each missing optional platform package as an entry that never
// installs on Linux (`os: ["!linux"]`), which is true: on Linux npm would never pick those builds anyway.
// Run it after changing dependencies: `npm run lock:complete`.
const fs = require('node:fs');
const path = require('node:path');

const lockPath = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
const packages = lock.packages;
let added = 0;

for (const [location, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${location}/node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (packages[nested] || packages[hoisted]) continue;
    packages[hoisted] = { version, ...(entry.dev ? { dev: true } : {}), optional: true, os: ['!linux'] };
    added += 1;
  }
}

lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
fs.writeFileSync(lockPath, JSON.stringify(lock, null, 2) + '\n');
console.log(`complete-lockfile: added ${added} platform stub(s)`);
