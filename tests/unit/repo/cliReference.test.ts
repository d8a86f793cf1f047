import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli/main';
import { renderCliReference } from '../../../scripts/docs/cliReference';

describe('docs/cli.md', () => {
  it('is what `npm run docs:cli` writes from the program (run it after changing a command)', () => {
    expect(readFileSync('docs/cli.md', 'utf8')).toBe(renderCliReference(buildProgram()));
  });

  it('would change with any command, option, default or description (the check bites)', () => {
    const base = renderCliReference(buildProgram());
    const variants: ((p: Command) => void)[] = [
      (p) => p.command('extra').description('a command the doc lacks'),
      (p) => p.commands.find((c) => c.name() === 'migrate')!.option('--dry-run', 'an option the doc lacks'),
      (p) => p.commands.find((c) => c.name() === 'runs')!.commands.find((c) => c.name() === 'list')!.options.find((o) => o.long === '--limit')!.default('7'),
      (p) => p.commands.find((c) => c.name() === 'worker')!.description('changed'),
    ];
    for (const change of variants) {
      const p = buildProgram();
      change(p);
      expect(renderCliReference(p)).not.toBe(base);
    }
  });

  it('lists every command and subcommand with its options', () => {
    const doc = readFileSync('docs/cli.md', 'utf8');
    const walk = (c: Command, path: string[]): void =>
      c.commands.forEach((sub) => {
        const p = [...path, sub.name()];
        if (sub.name() === 'help') return;
        expect(doc).toContain(`\n## ${p.join(' ')}\n`);
        for (const o of sub.options) expect(doc).toContain(`| \`${o.flags}\` |`);
        walk(sub, p);
      });
    walk(buildProgram(), []);
  });
});
