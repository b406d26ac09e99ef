import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

const consumer = fileURLToPath(new URL('./declaration-emit/consumer.ts', import.meta.url));

/** The declaration file TypeScript emits for the consumer, as a consumer's build would. */
function declarations(): string {
  const options: ts.CompilerOptions = {
    strict: true,
    exactOptionalPropertyTypes: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    customConditions: ['@idgov/source'],
    declaration: true,
    emitDeclarationOnly: true,
    skipLibCheck: true,
    types: [],
  };
  const program = ts.createProgram([consumer], options);
  const errors = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(errors).toEqual([]);
  let out = '';
  program.emit(program.getSourceFile(consumer), (_name, text) => (out = text));
  return out;
}

describe('what editors and declaration files show of a consumer', () => {
  test('named types (Workflow, LifecycleWorkflowProcessingStatus, Selected<User, …>), never components["schemas"][…]', async () => {
    const emitted = declarations();
    expect(emitted).not.toContain('components[');
    expect(emitted).toContain('LifecycleWorkflowProcessingStatus');
    await expect(emitted).toMatchFileSnapshot('./declaration-emit/consumer.d.ts.snap');
  });
});
