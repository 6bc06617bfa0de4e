/**
 * Minimal argument parsing for the CLI: `--name value`, `--flag`, and positionals.
 */
export type Parsed = { flags: Map<string, string | true>; positionals: string[] };

/** Parses args; `valued` names the options that take a value. */
export function parseArgs(args: string[], valued: readonly string[]): Parsed {
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg.startsWith("--")) {
      const [name = "", inline] = arg.slice(2).split("=", 2);
      if (inline !== undefined) flags.set(name, inline);
      else if (valued.includes(name)) {
        const value = args[i + 1];
        if (value === undefined) throw new Error(`--${name} needs a value`);
        flags.set(name, value);
        i++;
      } else flags.set(name, true);
    } else positionals.push(arg);
  }
  return { flags, positionals };
}

export function stringFlag(parsed: Parsed, name: string): string | undefined {
  const value = parsed.flags.get(name);
  return typeof value === "string" ? value : undefined;
}
