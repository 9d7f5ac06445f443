/** Parsed command line: positional words and `--flag value` / `--flag` options. */
export interface ParsedArgs {
  readonly positional: string[];
  readonly flags: Record<string, string | true>;
}

const BOOLEAN_FLAGS = new Set(['json', 'wait', 'help', 'h']);

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word.startsWith('--') || (word.startsWith('-') && word.length === 2)) {
      const [name, inline] = word.replace(/^--?/, '').split('=', 2) as [string, string | undefined];
      if (inline !== undefined) flags[name] = inline;
      else if (BOOLEAN_FLAGS.has(name) || i + 1 >= argv.length || argv[i + 1]!.startsWith('-')) flags[name] = true;
      else flags[name] = argv[++i]!;
    } else {
      positional.push(word);
    }
  }
  return { positional, flags };
}

export class UsageError extends Error {}

export function stringFlag(args: ParsedArgs, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = args.flags[name];
    if (typeof value === 'string') return value;
    if (value === true) throw new UsageError(`--${name} needs a value`);
  }
  return undefined;
}
