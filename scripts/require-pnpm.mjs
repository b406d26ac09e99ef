// `prepack` guard of every published package: npm would pack `workspace:^` ranges and the
// in-repo `@idgov/source` export condition as they are; pnpm replaces both (publishConfig).
const agent = process.env.npm_config_user_agent ?? '';
if (!agent.startsWith('pnpm/')) {
  const name = process.env.npm_package_name ?? 'this package';
  console.error(
    `${name}: pack and publish with pnpm (pnpm pack, pnpm publish, pnpm release), not ${agent.split(' ')[0] || 'this tool'}: ` +
      'only pnpm turns workspace:^ into versions and applies publishConfig.exports.',
  );
  process.exit(1);
}
