import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { generatedHeader } from './emit.js';
import { buildMetadata } from './metadata.js';
import { nameSchemas } from './named-schemas.js';
import { buildResourceTree } from './tree.js';

/** A generated file: its path relative to the workspace root and its exact content. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

const banner = `// ${generatedHeader}\n`;

/** Turns the slice into the files of `packages/types/src/generated/` and the client's resource tree. */
export async function generateTypes(slice: Record<string, unknown>): Promise<GeneratedFile[]> {
  const ast = await openapiTS(slice as unknown as Parameters<typeof openapiTS>[0], {
    transform(schema) {
      const members = (schema as { 'x-idgov-flags'?: unknown })['x-idgov-flags'];
      return Array.isArray(members) ? flagsType(members as string[]) : undefined;
    },
  });
  return [
    { path: 'packages/types/src/generated/openapi.ts', content: `${banner}\n${astToString(nameSchemas(ast))}` },
    { path: 'packages/types/src/generated/metadata.ts', content: `${banner}\n${buildMetadata(slice)}` },
    { path: 'packages/client/src/generated/resource-tree.ts', content: `${banner}\n${buildResourceTree(slice, commonRoot(Object.keys(slice['paths'] ?? {})))}` },
  ];
}

/** The segments every path starts with (`/identityGovernance/lifecycleWorkflows`). */
function commonRoot(paths: readonly string[]): string {
  const [first = [], ...rest] = paths.map((path) => path.split('/'));
  let length = first.length - 1;
  for (const segments of rest) {
    let same = 0;
    while (same < length && segments[same] === first[same]) same++;
    length = same;
  }
  return first.slice(0, length).join('/');
}

/**
 * G15: a flags value is one member or several joined by commas ("joiner,leaver"); the type
 * spells out every length up to the member count, so any such value fits and typos do not.
 */
function flagsType(members: readonly string[]): ts.TypeNode {
  const { factory } = ts;
  const member = factory.createUnionTypeNode(members.map((m) => factory.createLiteralTypeNode(factory.createStringLiteral(m))));
  const lengths = members.map((_, index) => {
    if (index === 0) return member;
    const spans = Array.from({ length: index + 1 }, (__, position) =>
      factory.createTemplateLiteralTypeSpan(member, position === index ? factory.createTemplateTail('') : factory.createTemplateMiddle(',')),
    );
    return factory.createTemplateLiteralType(factory.createTemplateHead(''), spans);
  });
  return factory.createUnionTypeNode(lengths);
}
