import type { PropertyCapability } from './config.js';

/**
 * Reads the capability hint Graph hides in a property's prose, in any of its spellings
 * (GRAPH-QUIRKS G22): "Supports $filter(lt, le, gt, ge, eq, ne) and $orderby.",
 * "Supports $filter(eq, ne) and orderBy.", "Supports $orderby.", "Supports $filter(any).",
 * "Supports $expand." Returns undefined when the text names no capability.
 */
export function parseCapabilityHint(description: string): PropertyCapability | undefined {
  const sentence = /supports\s+([^.]*(?:\$filter|\$?orderby|\$expand)[^.]*)/i.exec(description)?.[1];
  if (sentence === undefined) return undefined;
  const operators = /\$filter\s*\(([^)]*)\)/i.exec(sentence)?.[1];
  const filter = operators
    ?.split(',')
    .map((op) => op.trim().toLowerCase())
    .filter((op) => op !== '');
  const orderBy = /(^|[^a-z])\$?orderby/i.test(sentence);
  const expand = /\$expand/i.test(sentence);
  return {
    ...(filter === undefined ? {} : { filter }),
    ...(orderBy ? { orderBy: true } : {}),
    ...(expand ? { expand: true } : {}),
  };
}
