import { clouds } from '@idgov/client';
import { UsageError } from './args.js';
import { cloudFrom, credentialsFrom, signInHint } from './auth.js';
import type { Context } from './commands.js';
import { emit } from './list.js';

interface Claims {
  readonly tid?: string;
  readonly upn?: string;
  readonly preferred_username?: string;
  readonly app_displayname?: string;
  readonly appid?: string;
  readonly roles?: readonly string[];
  readonly scp?: string;
  readonly exp?: number;
}

/** The claims of a JWT access token, read without checking its signature (Graph does that). */
function claimsOf(token: string): Claims {
  const [, payload] = token.split('.');
  try {
    return JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Claims;
  } catch {
    return {};
  }
}

/**
 * `idgov whoami`: who the chosen sign-in is (tenant, user or app, permissions, expiry), read from
 * its token's claims; the token itself is never printed.
 */
export async function whoamiCommand(context: Context): Promise<number> {
  const { io, flags } = context;
  const cloud = cloudFrom(flags, io.env);
  const credentials = await credentialsFrom(flags, io.env, cloud, io.stderr);
  if (credentials.kind === 'none') throw new UsageError(`no credentials: ${signInHint}`);
  const token = credentials.kind === 'token' ? credentials.token : (await credentials.credential.getToken(`${clouds[cloud]}/.default`, { abortSignal: io.signal }))?.token;
  if (token === undefined) throw new Error('the sign-in gave no token');
  const claims = claimsOf(token);
  return emit(context, {}, (write) =>
    write([
      {
        signIn: credentials.kind === 'token' ? 'IDGOV_TOKEN' : credentials.method,
        cloud,
        tenant: claims.tid ?? null,
        user: claims.upn ?? claims.preferred_username ?? null,
        app: claims.app_displayname ?? claims.appid ?? null,
        permissions: claims.roles?.join(' ') ?? claims.scp ?? null,
        expires: claims.exp === undefined ? null : new Date(claims.exp * 1000).toISOString(),
      },
    ]),
  );
}
