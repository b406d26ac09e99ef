import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateTypes, loadConfig, loadDocument, slice, sliceToYaml } from '../src/index.js';
import { fixtures } from './paths.js';

describe('generator on a tiny hand-made description', () => {
  it('slices and generates the expected files', async () => {
    const source = await loadDocument(join(fixtures, 'tiny.openapi.yaml'));
    const config = await loadConfig(join(fixtures, 'tiny.config.yaml'));
    const result = slice(source.document, config, source);
    await expect(sliceToYaml(result.document, source)).toMatchFileSnapshot('./fixtures/out/tiny.slice.yaml');
    for (const file of await generateTypes(result.document)) {
      await expect(file.content).toMatchFileSnapshot(`./fixtures/out/${basename(file.path)}`);
    }
    expect(result.report).toEqual({
      paths: 3,
      operations: 4,
      schemas: 8,
      naiveClosure: 11,
      sharedPathItems: 1,
      foreign: [
        { name: 'microsoft.graph.ODataErrors.MainError', treatment: 'whole', reason: 'referenced by microsoft.graph.ODataErrors.ODataError.error' },
        { name: 'microsoft.graph.ODataErrors.ODataError', treatment: 'whole', reason: 'referenced by #/components/responses/error' },
        { name: 'microsoft.graph.entity', treatment: 'whole', reason: 'base type of microsoft.graph.user' },
        { name: 'microsoft.graph.user', treatment: 'stub', reason: 'referenced by /identityGovernance/lifecycleWorkflows/deletedItems/workflows/{workflow-id}/createdBy' },
      ],
    });
  });
});
