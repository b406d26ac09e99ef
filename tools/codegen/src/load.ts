import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import yaml from 'js-yaml';
import { looksLikeXml, parseCsdl } from './csdl.js';
import { CodegenError } from './errors.js';

export interface LoadedDocument {
  /** The parsed document: OpenAPI as plain data, or a `CsdlDocument`. */
  readonly document: unknown;
  /** File name (or URL) the document came from, without directories. */
  readonly name: string;
  readonly sha256: string;
}

/**
 * Reads an OpenAPI document (YAML or JSON) or a CSDL document (XML, such as Graph's `$metadata`)
 * from a path or an http(s) URL; the content tells which.
 */
export async function loadDocument(source: string): Promise<LoadedDocument> {
  const text = /^https?:\/\//i.test(source) ? await fetchText(source) : await readText(source);
  return {
    document: looksLikeXml(text) ? parseCsdl(text, source) : parseYaml(text, source),
    name: /^https?:\/\//i.test(source) ? source : basename(source),
    sha256: createHash('sha256').update(text).digest('hex'),
  };
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CodegenError(code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read (${code ?? String(error)})`);
  }
}

async function fetchText(url: string): Promise<string> {
  let response: Response;
  try {
    // OData services answer `$metadata` in JSON when asked; the CSDL reader reads XML.
    response = await fetch(url, /\/\$metadata(\?|$)/.test(url) ? { headers: { accept: 'application/xml' } } : {});
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new CodegenError(`${url}: unreachable (${cause?.code ?? cause?.message ?? String(error)})`);
  }
  if (!response.ok) throw new CodegenError(`${url}: HTTP ${response.status} ${response.statusText}`);
  return response.text();
}

/**
 * Parses YAML 1.2 (JSON is a subset): js-yaml 4 follows the 1.2 core schema, so the 30
 * parameters named `on` stay strings instead of turning into `true` (GRAPH-QUIRKS G20).
 */
export function parseYaml(text: string, source: string): unknown {
  try {
    return yaml.load(text, { filename: source, json: true });
  } catch (error) {
    if (error instanceof yaml.YAMLException) {
      const { line, column } = error.mark;
      throw new CodegenError(`${source}:${line + 1}:${column + 1}: YAML does not parse: ${error.reason}`);
    }
    throw error;
  }
}
