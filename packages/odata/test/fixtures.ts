import { entities, enums } from '@idgov/types';
import type { EntityMetadata, EnumMetadata } from '@idgov/types';
import { ODataSyntaxError } from '../src/index.js';

/** The real generated metadata, as the fake and the CLI pass it. */
export const graph = { entities, enums };
export const userProcessingResult = entities['microsoft.graph.identityGovernance.userProcessingResult'];

/** A small hand-made model with capabilities the generated slice lacks (lambdas, `has`, `startswith`). */
export const fixture = {
  entities: {
    'test.workflow': {
      name: 'workflow',
      key: 'id',
      properties: {
        id: { kind: 'string', nullable: false, collection: false, navigation: false, filter: ['eq', 'ne', 'in'], orderBy: true },
        displayName: { kind: 'string', nullable: false, collection: false, navigation: false, filter: ['eq', 'ne', 'startswith', 'endswith', 'contains'], orderBy: true },
        category: { kind: 'enum', nullable: false, collection: false, navigation: false, type: 'test.category', filter: ['eq', 'ne', 'has'] },
        version: { kind: 'int32', nullable: true, collection: false, navigation: false, filter: ['eq', 'ne', 'lt', 'le', 'gt', 'ge'], orderBy: true },
        isEnabled: { kind: 'boolean', nullable: false, collection: false, navigation: false, filter: ['eq', 'ne'] },
        createdDateTime: { kind: 'dateTimeOffset', nullable: true, collection: false, navigation: false, filter: ['eq', 'ne', 'lt', 'le', 'gt', 'ge'], orderBy: true },
        tasks: { kind: 'entity', nullable: false, collection: true, navigation: true, type: 'test.task', filter: ['any', 'all'], expand: true },
        createdBy: { kind: 'entity', nullable: true, collection: false, navigation: true, type: 'test.user', filter: ['eq', 'ne'], expand: true },
        notes: { kind: 'string', nullable: true, collection: false, navigation: false },
        sizeInBytes: { kind: 'int64', nullable: true, collection: false, navigation: false, filter: ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in'] },
        score: { kind: 'number', nullable: true, collection: false, navigation: false, filter: ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] },
      },
    },
    'test.task': {
      name: 'task',
      key: 'id',
      properties: {
        id: { kind: 'string', nullable: false, collection: false, navigation: false },
        isEnabled: { kind: 'boolean', nullable: false, collection: false, navigation: false, filter: ['eq', 'ne'] },
        executionSequence: { kind: 'int32', nullable: false, collection: false, navigation: false, filter: ['eq', 'gt'], orderBy: true },
      },
    },
    'test.user': {
      name: 'user',
      key: 'id',
      properties: {
        id: { kind: 'string', nullable: false, collection: false, navigation: false },
        displayName: { kind: 'string', nullable: true, collection: false, navigation: false },
      },
    },
  },
  enums: {
    'test.category': { members: ['joiner', 'leaver', 'unknownFutureValue', 'mover'], flags: true, evolvableMembers: ['mover'] },
  },
} as const satisfies { entities: Record<string, EntityMetadata>; enums: Record<string, EnumMetadata> };

export const workflow = fixture.entities['test.workflow'];

export type Category = 'joiner' | 'leaver' | 'unknownFutureValue' | 'mover';

/** The TypeScript shape matching `workflow` above, as `@idgov/types` would generate it. */
export interface TestWorkflow {
  id?: string;
  displayName?: string;
  category?: Category | `${Category},${Category}`;
  version?: number | null;
  isEnabled?: boolean;
  createdDateTime?: string | null;
  tasks?: { id?: string; isEnabled?: boolean; executionSequence?: number }[];
  createdBy?: { id?: string; displayName?: string | null } | null;
  notes?: string | null;
  sizeInBytes?: number | null;
  score?: number | null;
}

/** The `ODataSyntaxError` (or `ODataUnsupportedError`) that `f` throws; any other outcome fails the test. */
export function errorOf(f: () => unknown): ODataSyntaxError {
  try {
    f();
  } catch (e) {
    if (ODataSyntaxError.is(e)) return e;
    throw e;
  }
  throw new Error('no error');
}
