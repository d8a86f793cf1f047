import type { Argument, Command, Option } from 'commander';

/**
 * docs/cli.md from the program itself (`buildProgram()` in src/cli/main.ts), so the reference
 * cannot describe a command or option the CLI does not have. Only what the definitions hold is
 * printed, in the order they are registered: the same program gives the same bytes.
 */
export function renderCliReference(program: Command): string {
  const commands = walk(program, []);
  const out = [
    '# CLI reference',
    '',
    '<!-- Generated from the commander definitions (src/cli/main.ts) by `npm run docs:cli`; do not edit. -->',
    '<!-- tests/unit/repo/cliReference.test.ts fails when this file and the program differ. -->',
    '',
    `\`${program.name()}\`: ${program.description()}. From a clone run it as \`npm run cli -- <command>\`;`,
    `\`npm start\` is \`${program.name()} dev\`. Every command also answers \`--help\` with the same text.`,
    '',
    '| Command | What it does |',
    '| --- | --- |',
    ...commands.map(({ path, cmd }) => `| [\`${path.join(' ')}\`](#${anchor(path.join(' '))}) | ${cell(cmd.description())} |`),
  ];
  for (const { path, cmd } of commands) out.push('', ...renderCommand(program.name(), path, cmd));
  return `${out.join('\n')}\n`;
}

/** GitHub's heading anchor for a plain-text heading: lower case, punctuation dropped, spaces to hyphens. */
export function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function walk(cmd: Command, path: string[]): { path: string[]; cmd: Command }[] {
  return cmd.commands.filter((c) => c.name() !== 'help').flatMap((c) => [{ path: [...path, c.name()], cmd: c }, ...walk(c, [...path, c.name()])]);
}

function renderCommand(root: string, path: string[], cmd: Command): string[] {
  const args = cmd.registeredArguments;
  const options = cmd.options.filter((o) => o.long !== '--help');
  const usage = [root, ...path, ...(options.length ? ['[options]'] : []), ...(cmd.commands.length ? ['<command>'] : []), ...args.map(argUsage)].join(' ');
  const lines = [`## ${path.join(' ')}`, ''];
  if (cmd.description()) lines.push(text(cmd.description()), '');
  lines.push(`Usage: \`${usage}\``);
  if (cmd.commands.length) lines.push('', `Subcommands: ${cmd.commands.filter((c) => c.name() !== 'help').map((c) => `[\`${c.name()}\`](#${anchor([...path, c.name()].join(' '))})`).join(', ')}.`);
  if (args.length) {
    lines.push('', '| Argument | Required | Description |', '| --- | --- | --- |');
    for (const a of args) lines.push(`| \`${argUsage(a)}\` | ${a.required ? 'yes' : 'no'} | ${cell(a.description)} |`);
  }
  if (options.length) {
    lines.push('', '| Option | Default | Description |', '| --- | --- | --- |');
    // Every --config takes the run config's keys: point at their reference.
    for (const o of options) lines.push(`| \`${o.flags}\` | ${defaultOf(o)} | ${cell(describe(o))}${o.long === '--config' ? ' ([keys](configuration.md#--config-keys))' : ''} |`);
  }
  return lines;
}

function argUsage(a: Argument): string {
  const name = `${a.name()}${a.variadic ? '...' : ''}`;
  return a.required ? `<${name}>` : `[${name}]`;
}

function defaultOf(o: Option): string {
  if (o.defaultValueDescription) return cell(o.defaultValueDescription);
  // `--no-x` defaults x to true: the option's own "default" is not using it.
  if (o.defaultValue === undefined || o.negate) return '';
  return `\`${Array.isArray(o.defaultValue) ? o.defaultValue.join(' ') : String(o.defaultValue)}\``;
}

function describe(o: Option): string {
  const notes = [o.mandatory ? 'required' : '', o.argChoices ? `one of: ${o.argChoices.join(', ')}` : ''].filter(Boolean);
  return [o.description, notes.length ? `(${notes.join('; ')})` : ''].filter(Boolean).join(' ');
}

/** Prose that may hold `<placeholders>`: escaped so Markdown shows them instead of treating them as HTML. */
function text(s: string): string {
  return s.replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cell(s: string): string {
  return text(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
