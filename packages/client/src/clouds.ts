/**
 * National clouds and their Microsoft Graph hosts.
 * @see https://learn.microsoft.com/graph/deployments#microsoft-graph-and-graph-explorer-service-root-endpoints
 */
export const clouds = {
  global: 'https://graph.microsoft.com',
  usGov: 'https://graph.microsoft.us',
  usGovDoD: 'https://dod-graph.microsoft.us',
  china: 'https://microsoftgraph.chinacloudapi.cn',
} as const;

/** A national cloud: global, US Government L4, US Government L5 (DoD) or China (21Vianet). */
export type Cloud = keyof typeof clouds;

/** The Graph API version a client talks to. */
export type GraphVersion = 'v1.0' | 'beta';

/** The service root (`https://graph.microsoft.us/v1.0`) and default token scope of a cloud or explicit base URL. */
export function resolveEndpoint(options: { cloud?: Cloud; version?: GraphVersion; baseUrl?: string }): { baseUrl: string; origin: string; scope: string } {
  const cloud = options.cloud ?? 'global';
  if (!(cloud in clouds)) throw new RangeError(`Unknown cloud '${cloud}'; expected one of ${Object.keys(clouds).join(', ')}`);
  const version = options.version ?? 'v1.0';
  if (!(['v1.0', 'beta'] as readonly string[]).includes(version)) throw new RangeError(`Unknown Graph version '${version}'; expected v1.0 or beta`);
  const root = options.baseUrl ?? `${clouds[cloud]}/${version}`;
  if (!URL.canParse(root)) throw new RangeError(`baseUrl is not an absolute URL: '${root}'`);
  const url = new URL(root);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RangeError(`baseUrl must be http(s), not '${url.protocol}'`);
  // A fake or proxy on another host still issues Graph tokens: keep the chosen cloud's audience.
  const audience = Object.values<string>(clouds).includes(url.origin) ? url.origin : clouds[cloud];
  return { baseUrl: url.href.replace(/\/+$/, ''), origin: url.origin, scope: `${audience}/.default` };
}
