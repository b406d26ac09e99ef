import { entityQuery, formatFilter } from '@idgov/odata';
import type { UserProcessingResult } from '@idgov/types';
import { entities, enums } from '@idgov/types';
import { describe, expect, test } from 'vitest';
import { query } from '../src/entity-queries.js';

describe('prebound query builders', () => {
  test('build the same filter as the general form', () => {
    const $ = entityQuery<UserProcessingResult>()(entities['microsoft.graph.identityGovernance.userProcessingResult'], { entities, enums });
    const general = $.and($.eq('processingStatus', 'failed'), $.ge('completedDateTime', '2024-05-01T00:00:00Z'));
    const short = query.userProcessingResult.and(query.userProcessingResult.eq('processingStatus', 'failed'), query.userProcessingResult.ge('completedDateTime', '2024-05-01T00:00:00Z'));
    expect(formatFilter(short.node)).toBe(formatFilter(general.node));
    expect(formatFilter(short.node)).toBe("processingStatus eq 'failed' and completedDateTime ge 2024-05-01T00:00:00Z");
  });

  test('one per Lifecycle Workflows entity, built once on first use', () => {
    const names = Object.keys(query);
    expect(names).toContain('workflow');
    expect(names).toContain('taskProcessingResult');
    expect(names.every((name) => `microsoft.graph.identityGovernance.${name}` in entities)).toBe(true);
    expect(query.run).toBe(query.run);
  });

  test('check enum members at run time with the whole metadata', () => {
    expect(() => query.userProcessingResult.eq('processingStatus', 'broken' as never)).toThrow(/'broken' is not a member of/);
  });
});
