import ts from 'typescript';
import { CodegenError } from './errors.js';

// Names the other declarations of openapi-typescript's output already take.
const taken = new Set(['paths', 'webhooks', 'components', '$defs', 'operations']);

/**
 * The TypeScript name of each schema: its last segment in PascalCase (`UserProcessingResult`),
 * qualified by more of its namespace only where two schemas would share one.
 */
export function schemaTypeNames(schemaNames: readonly string[]): Map<string, string> {
  const parts = new Map(schemaNames.map((name) => [name, name.split('.').map((p) => p.charAt(0).toUpperCase() + p.slice(1))] as const));
  const out = new Map<string, string>();
  for (const [schema, segments] of parts) {
    for (let take = 1; take <= segments.length; take++) {
      const candidate = segments.slice(-take).join('');
      const clash =
        taken.has(candidate) ||
        [...parts].some(([other, otherSegments]) => other !== schema && otherSegments.slice(-take).join('') === candidate);
      if (!clash) {
        out.set(schema, candidate);
        break;
      }
    }
    if (!out.has(schema)) throw new CodegenError(`schema ${schema} has no unique TypeScript name`);
  }
  return out;
}

/**
 * Gives every schema of openapi-typescript's `components.schemas` a top-level alias, and points the
 * schema at it, so editors and declaration files show `UserProcessingResult` and
 * `LifecycleWorkflowProcessingStatus`, not `components["schemas"]["microsoft.graph.…"]` or the
 * expanded object.
 */
export function nameSchemas(nodes: readonly ts.Node[]): ts.Node[] {
  const { factory } = ts;
  const index = nodes.findIndex((node) => ts.isInterfaceDeclaration(node) && node.name.text === 'components');
  const components = nodes[index];
  if (components === undefined || !ts.isInterfaceDeclaration(components)) throw new CodegenError('openapi-typescript produced no components interface');
  const schemas = components.members.find((member) => ts.isPropertySignature(member) && propertyName(member) === 'schemas');
  if (schemas === undefined || !ts.isPropertySignature(schemas) || schemas.type === undefined || !ts.isTypeLiteralNode(schemas.type)) return [...nodes];
  const members = schemas.type.members.filter(ts.isPropertySignature);
  const names = schemaTypeNames(members.map(propertyName));
  const rename = referencesTo(names);
  const aliases: ts.Node[] = [];
  const pointed = members.map((member) => {
    const name = names.get(propertyName(member)) ?? '';
    const type = rename(member.type ?? factory.createKeywordTypeNode(ts.SyntaxKind.UnknownKeyword));
    const alias = factory.createTypeAliasDeclaration([factory.createModifier(ts.SyntaxKind.ExportKeyword)], name, undefined, type);
    // The schema's doc comment (`@enum`, `Format: int32`) goes with the type editors show.
    ts.setSyntheticLeadingComments(alias, ts.getSyntheticLeadingComments(member));
    aliases.push(alias);
    return ts.setSyntheticLeadingComments(factory.createPropertySignature(member.modifiers, member.name, member.questionToken, factory.createTypeReferenceNode(name)), undefined);
  });
  const updatedSchemas = factory.updatePropertySignature(schemas, schemas.modifiers, schemas.name, schemas.questionToken, factory.updateTypeLiteralNode(schemas.type, factory.createNodeArray(pointed)));
  const updated = factory.updateInterfaceDeclaration(
    components,
    components.modifiers,
    components.name,
    components.typeParameters,
    components.heritageClauses,
    components.members.map((member) => (member === schemas ? updatedSchemas : member)),
  );
  return [...nodes.slice(0, index).map(rename), rename(updated), ...aliases, ...nodes.slice(index + 1).map(rename)];
}

/** Rewrites every `components["schemas"]["x"]` in a tree into a reference to the schema's alias. */
function referencesTo(names: ReadonlyMap<string, string>): <T extends ts.Node>(node: T) => T {
  const visit = (node: ts.Node): ts.Node => {
    if (ts.isIndexedAccessTypeNode(node)) {
      const name = schemaReference(node);
      const alias = name === undefined ? undefined : names.get(name);
      if (alias !== undefined) return ts.factory.createTypeReferenceNode(alias);
    }
    return ts.visitEachChild(node, visit, undefined);
  };
  return <T extends ts.Node>(node: T) => visit(node) as T;
}

// `components["schemas"]["x"]` → `x`
function schemaReference(node: ts.IndexedAccessTypeNode): string | undefined {
  const inner = node.objectType;
  if (!ts.isIndexedAccessTypeNode(inner) || !ts.isTypeReferenceNode(inner.objectType)) return undefined;
  if (!ts.isIdentifier(inner.objectType.typeName) || inner.objectType.typeName.text !== 'components') return undefined;
  const section = literalText(inner.indexType);
  return section === 'schemas' ? literalText(node.indexType) : undefined;
}

function literalText(node: ts.TypeNode): string | undefined {
  return ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal) ? node.literal.text : undefined;
}

function propertyName(member: ts.PropertySignature): string {
  const { name } = member;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  throw new CodegenError('a schema of components.schemas has a computed name');
}
