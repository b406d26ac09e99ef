import { UsageError } from './args.js';
import type { FlagSpecs } from './args.js';

/** The shells `idgov completion` writes a script for. */
export const shells = ['bash', 'zsh', 'fish'] as const;

interface Completable {
  readonly name: string;
  readonly summary: string;
  readonly flags: FlagSpecs;
}

// In single quotes, a quote is closed, escaped and reopened.
const sq = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** A completion script for `shell`, from the command table: commands, then each command's own flags. */
export function completionScript(shell: string, commands: readonly Completable[]): string {
  // `workflows create` completes as the word `create` after `workflows`.
  const byWord = new Map<string, { words: string[]; flags: string[]; specs: [string, string][] }>();
  for (const command of commands) {
    const [first = '', second] = command.name.split(' ');
    const entry = byWord.get(first) ?? { words: [], flags: [], specs: [] };
    if (second !== undefined) entry.words.push(second);
    for (const [name, spec] of Object.entries(command.flags)) {
      if (entry.flags.includes(`--${name}`)) continue;
      entry.flags.push(`--${name}`);
      entry.specs.push([name, spec.help]);
    }
    byWord.set(first, entry);
  }
  const firstWords = commands.filter((c) => !c.name.includes(' '));
  switch (shell) {
    case 'bash':
      return [
        '# idgov completion for bash: source <(idgov completion bash)',
        '_idgov() {',
        '  local cur="${COMP_WORDS[COMP_CWORD]}"',
        '  if [ "$COMP_CWORD" -eq 1 ]; then',
        `    COMPREPLY=($(compgen -W ${sq(firstWords.map((c) => c.name).join(' '))} -- "$cur"))`,
        '    return',
        '  fi',
        '  case "${COMP_WORDS[1]}" in',
        ...[...byWord].map(([word, entry]) => `    ${word}) COMPREPLY=($(compgen -W ${sq([...entry.words, ...entry.flags].join(' '))} -- "$cur")) ;;`),
        '  esac',
        '}',
        'complete -o default -F _idgov idgov',
        '',
      ].join('\n');
    case 'zsh': {
      const colon = (text: string): string => text.replace(/:/g, '\\:');
      return [
        '#compdef idgov',
        '# idgov completion for zsh: idgov completion zsh > "${fpath[1]}/_idgov", or source it',
        '_idgov() {',
        '  local -a items',
        '  if (( CURRENT == 2 )); then',
        `    items=(${firstWords.map((c) => sq(`${c.name}:${colon(c.summary)}`)).join(' ')})`,
        "    _describe 'command' items",
        '    return',
        '  fi',
        '  case $words[2] in',
        ...[...byWord].map(([word, entry]) => `    ${word}) items=(${[...entry.words.map((w) => sq(`${w}:subcommand`)), ...entry.specs.map(([name, text]) => sq(`--${name}:${colon(text)}`))].join(' ')}) ;;`),
        '  esac',
        "  _describe 'option' items",
        '}',
        'if [[ $funcstack[1] == _idgov ]]; then _idgov "$@"; else compdef _idgov idgov; fi',
        '',
      ].join('\n');
    }
    case 'fish': {
      const fq = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
      const lines = ['# idgov completion for fish: idgov completion fish > ~/.config/fish/completions/idgov.fish', 'complete -c idgov -f'];
      for (const c of firstWords) lines.push(`complete -c idgov -n __fish_use_subcommand -a ${c.name} -d ${fq(c.summary)}`);
      for (const [word, entry] of byWord) {
        for (const sub of entry.words) lines.push(`complete -c idgov -n '__fish_seen_subcommand_from ${word}' -a ${sub}`);
        for (const [name, text] of entry.specs) lines.push(`complete -c idgov -n '__fish_seen_subcommand_from ${word}' -l ${name} -d ${fq(text)}`);
      }
      return `${lines.join('\n')}\n`;
    }
    default:
      throw new UsageError(`completion takes one of ${shells.join(', ')}, not '${shell}'`);
  }
}
