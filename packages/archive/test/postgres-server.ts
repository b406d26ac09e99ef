// A throwaway PostgreSQL server for the tests: Debian's `postgresql` binaries, a temporary data
// directory, a free port on 127.0.0.1; stopped and removed after. As root, the server runs as the
// `postgres` user (initdb and postgres refuse root).
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PostgresServer {
  /** `postgres://archive@127.0.0.1:<port>/<database>` for a new, empty database. */
  createDatabase(name: string): Promise<string>;
  stop(): void;
}

function binaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (newest === undefined) throw new Error(`no PostgreSQL server under ${root}: install Debian's postgresql package (apt-get install postgresql)`);
  return join(root, newest, 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => { resolve(typeof address === 'object' && address !== null ? address.port : 0); });
    });
  });
}

/** Starts a server (initdb + pg_ctl start); call `stop()` when done. */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = binaries();
  const root = mkdtempSync(join(tmpdir(), 'idgov-archive-pg-'));
  const data = join(root, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(root, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), Number(execFileSync('id', ['-g', 'postgres']).toString().trim()));
  const run = (program: string, args: readonly string[]): string =>
    execFileSync(asRoot ? 'runuser' : join(bin, program), asRoot ? ['-u', 'postgres', '--', join(bin, program), ...args] : [...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  const port = await freePort();
  run('initdb', ['-D', data, '-U', 'archive', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  run('pg_ctl', ['-D', data, '-l', join(root, 'server.log'), '-w', '-o', `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  const url = (database: string): string => `postgres://archive@127.0.0.1:${port}/${database}`;
  return {
    async createDatabase(name) {
      const { default: pg } = await import('pg');
      const admin = new pg.Client({ connectionString: url('postgres') });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return url(name);
    },
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
