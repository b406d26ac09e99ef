import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { generatedHeader } from './emit.js';
import { buildMetadata } from './metadata.js';

/** A generated file: its path relative to the types package and its exact content. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

const banner = `// ${generatedHeader}\n`;

/** Turns the slice into the files of `packages/types/src/generated/`. */
export async function generateTypes(slice: Record<string, unknown>): Promise<GeneratedFile[]> {
  const ast = await openapiTS(slice as unknown as Parameters<typeof openapiTS>[0], {
    transform(schema) {
      const members = (schema as { 'x-idgov-flags'?: unknown })['x-idgov-flags'];
      return Array.isArray(members) ? flagsType(members as string[]) : undefined;
    },
  });
  return [
    { path: 'src/generated/openapi.ts', content: `${banner}\n${astToString(ast)}` },
    { path: 'src/generated/metadata.ts', content: `${banner}\n${buildMetadata(slice)}` },
  ];
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
