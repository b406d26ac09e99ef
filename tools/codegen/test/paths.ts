import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
/** Microsoft's descriptions live beside the project, never inside it. */
export const upstream = (
  file:
    | 'graph-v1.0-identity-governance.2023-10-03.openapi.yml'
    | 'graph-v1.0-identity-governance.2024-10-01.openapi.yml'
    | 'graph-v1.0.2025-10-27.csdl.xml'
    | 'graph-v1.0.2026-08-20.csdl.xml',
): string =>
  fileURLToPath(new URL(`../../../../shared/upstream/${file}`, import.meta.url));
