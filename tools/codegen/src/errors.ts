/**
 * A problem with the generator's input (a missing file, YAML that does not parse, a config that
 * selects nothing). The CLI prints its message as one line and exits 2, without a stack.
 */
export class CodegenError extends Error {
  override readonly name = 'CodegenError';
}
