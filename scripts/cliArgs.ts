/**
 * The command line of every tool (`npm run ask|summary|chat|remind|unanswered|
 * playground|package|icons|knowledge:check`), parsed by Node's `util.parseArgs`
 * in one way: `--help` (or `-h`) prints the usage and exits 0; an unknown
 * option, a missing value or an unexpected argument prints what was wrong and
 * the usage, and exits 2.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Exit status for a command line the tool cannot run (the convention of the shell's own builtins). */
export const EXIT_USAGE = 2;

/**
 * Parses `argv` (by default the process's arguments) against `config`
 * (strict: unknown options are errors). Never returns on `--help` or a bad
 * command line: it prints and exits.
 */
export function parseCliArgs<T extends ParseArgsConfig>(usage: string, config: T, argv = process.argv.slice(2)): ReturnType<typeof parseArgs<T>> {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ ...config, args: argv, strict: true, options: { ...config.options, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    return usageError(usage, e instanceof Error ? e.message : String(e));
  }
  if (parsed.values.help) {
    console.log(usage);
    process.exit(0);
  }
  delete parsed.values.help;
  return parsed as ReturnType<typeof parseArgs<T>>;
}

/** Prints `problem` and the usage to stderr and exits with EXIT_USAGE. */
export function usageError(usage: string, problem: string): never {
  console.error(`${problem}\n${usage}`);
  process.exit(EXIT_USAGE);
}
