// `prepack` guard of every published package: npm would pack `workspace:^` ranges and the
// in-repo `@idgov/source` export condition as they are; pnpm replaces both (publishConfig).
// The packing tool is told by `npm_execpath`, which each tool sets for its own scripts (npm
// takes `npm_config_user_agent` from the environment, so inside pnpm it would claim to be pnpm).
import { basename } from 'node:path';

const tool = basename(process.env.npm_execpath ?? '');
if (!tool.startsWith('pnpm')) {
  const name = process.env.npm_package_name ?? 'this package';
  console.error(
    `${name}: pack and publish with pnpm (pnpm pack, pnpm publish, pnpm release), not ${tool.replace(/(-cli)?\.[cm]?js$/, '') || 'this tool'}: ` +
      'only pnpm turns workspace:^ into versions and applies publishConfig.exports.',
  );
  process.exit(1);
}
