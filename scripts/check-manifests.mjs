// Keeps the published packages' package.json files consistent with each other, so metadata
// written once per package cannot drift: one line per problem, exit 1 if any.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const problems = [];
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

for (const dir of readdirSync(join(root, 'packages')).sort()) {
  const base = join(root, 'packages', dir);
  const pkg = JSON.parse(readFileSync(join(base, 'package.json'), 'utf8'));
  const fail = (what) => problems.push(`packages/${dir}/package.json: ${what}`);
  const expect = (ok, what) => ok || fail(what);

  expect(pkg.name === `@idgov/${dir}`, `name must be @idgov/${dir}`);
  expect(pkg.private !== true, 'published packages are not private');
  expect(pkg.type === 'module', '"type" must be "module"');
  expect(pkg.license === 'MIT', 'license must be MIT');
  expect(pkg.sideEffects === false, '"sideEffects" must be false');
  expect(pkg.engines?.node === rootManifest.engines.node, `engines.node must be ${rootManifest.engines.node}, as the root's`);
  expect(pkg.repository?.directory === `packages/${dir}`, `repository.directory must be packages/${dir}`);
  // Hand-written sources ship beside dist so declaration maps lead editors to TypeScript; generated
  // code is as readable in its .d.ts and would double the install.
  const files = ['dist', '!dist/generated/*.map', 'src', '!src/generated', 'CHANGELOG.md'];
  expect(JSON.stringify(pkg.files) === JSON.stringify(files), `files must be ${JSON.stringify(files)}`);
  expect(pkg.scripts?.prepack === 'node ../../scripts/require-pnpm.mjs', 'scripts.prepack must be "node ../../scripts/require-pnpm.mjs" (npm would publish workspace ranges)');
  const site = pkg.repository?.url?.replace(/^git\+/, '').replace(/\.git$/, '');
  expect(pkg.homepage === `${site}/tree/main/packages/${dir}#readme`, `homepage must be ${site}/tree/main/packages/${dir}#readme`);
  expect(pkg.bugs?.url === `${site}/issues`, `bugs.url must be ${site}/issues`);
  expect(Array.isArray(pkg.keywords) && pkg.keywords.includes('microsoft-graph'), 'keywords must include "microsoft-graph"');
  expect(pkg.publishConfig?.access === 'public', 'publishConfig.access must be public');
  for (const file of ['README.md', 'LICENSE']) expect(existsSync(join(base, file)), `${file} is missing`);

  // In the workspace every entry also resolves to source; published, the same entries without it.
  const exported = Object.entries(pkg.exports ?? {});
  expect(exported.at(-1)?.[0] === './package.json', '"./package.json" must be exported, last');
  for (const [entry, target] of exported) {
    if (typeof target === 'string') continue;
    const conditions = Object.keys(target);
    expect(JSON.stringify(conditions) === JSON.stringify(['@idgov/source', 'types', 'default']), `exports["${entry}"] must list @idgov/source, types, default in that order`);
    const { '@idgov/source': _source, ...published } = target;
    expect(JSON.stringify(pkg.publishConfig?.exports?.[entry]) === JSON.stringify(published), `publishConfig.exports["${entry}"] must be exports["${entry}"] without @idgov/source`);
  }
  expect(JSON.stringify(Object.keys(pkg.publishConfig?.exports ?? {})) === JSON.stringify(exported.map(([entry]) => entry)), 'publishConfig.exports must have the same entries as exports');

  for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
    for (const [name, range] of Object.entries(pkg[field] ?? {})) {
      if (name.startsWith('@idgov/')) expect(range === 'workspace:^', `${field}.${name} must be workspace:^`);
      else if (field !== 'peerDependencies') expect(range === 'catalog:', `${field}.${name} must come from the catalog (catalog:)`);
    }
  }
}

for (const problem of problems) console.error(problem);
if (problems.length === 0) console.log('package manifests are consistent');
process.exitCode = problems.length === 0 ? 0 : 1;
