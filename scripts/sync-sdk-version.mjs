// After `changeset version`: the client's SdkVersion constant follows its package.json (a test
// in @idgov/client checks the two agree). Run by `pnpm version-packages`.
import { readFileSync, writeFileSync } from 'node:fs';

const manifest = new URL('../packages/client/package.json', import.meta.url);
const source = new URL('../packages/client/src/version.ts', import.meta.url);
const { version } = JSON.parse(readFileSync(manifest, 'utf8'));
const text = readFileSync(source, 'utf8');
const updated = text.replace(/'idgov-client\/[^']*'/, `'idgov-client/${version}'`);
if (updated === text && !text.includes(`'idgov-client/${version}'`)) throw new Error('packages/client/src/version.ts: no sdkVersion constant to update');
writeFileSync(source, updated);
console.log(`@idgov/client SdkVersion: idgov-client/${version}`);
