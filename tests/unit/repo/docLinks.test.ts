import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchor } from '../../../scripts/docs/cliReference';

/** Markdown outside fenced code blocks and code spans: links and headings there are not links and headings. */
function prose(md: string): string[] {
  let fenced = false;
  return md.split('\n').flatMap((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return [];
    }
    return fenced ? [] : [line.replace(/`[^`]*`/g, (code) => (/^#/.test(line) ? code.replace(/`/g, '') : ''))];
  });
}

/** GitHub's anchors of a file: its headings (repeats get -1, -2, ...) and explicit `id` / `name` attributes. */
function anchorsOf(md: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of prose(md)) {
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      const base = anchor(h[1].replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'));
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      out.add(n ? `${base}-${n}` : base);
    }
    for (const m of line.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) out.add(m[1]);
  }
  return out;
}

/** The relative links of a file (inline and reference-style, images too); URLs with a scheme are not checked. */
function linksOf(md: string): string[] {
  const out: string[] = [];
  for (const line of prose(md)) {
    for (const m of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push(m[1]);
    const ref = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(\s|$)/.exec(line);
    if (ref) out.push(ref[1]);
  }
  return out.filter((l) => !/^[a-z][a-z0-9+.-]*:/i.test(l));
}

/** Every broken link of the files, as `file: link (why)`. */
function brokenLinks(files: string[], io: { read(f: string): string; exists(f: string): boolean } = { read: (f) => readFileSync(f, 'utf8'), exists: existsSync }): string[] {
  const broken: string[] = [];
  for (const file of files) {
    for (const link of linksOf(io.read(file))) {
      const [path, hash] = link.split('#', 2);
      const target = path ? resolve(dirname(file), decodeURIComponent(path.split('?')[0])) : resolve(file);
      if (!io.exists(target)) {
        broken.push(`${relative('.', file)}: ${link} (no ${relative('.', target)})`);
        continue;
      }
      if (hash !== undefined && target.endsWith('.md') && !anchorsOf(io.read(target)).has(decodeURIComponent(hash))) broken.push(`${relative('.', file)}: ${link} (no heading #${hash} in ${relative('.', target)})`);
    }
  }
  return broken;
}

const markdownUnder = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .sort()
        .flatMap((e) => (statSync(join(dir, e)).isDirectory() ? markdownUnder(join(dir, e)) : e.endsWith('.md') ? [join(dir, e)] : []))
    : [];

describe('links in README.md and docs/', () => {
  it('every relative link and #anchor resolves', () => {
    const files = [resolve('README.md'), ...markdownUnder(resolve('docs'))];
    expect(files.length).toBeGreaterThan(1);
    expect(brokenLinks(files)).toEqual([]);
  });

  it('finds a missing file, a missing heading and a repeated heading (the check bites)', () => {
    const docs: Record<string, string> = {
      [resolve('docs/a.md')]: [
        '# A',
        '## Run `npm start`',
        '## Twice',
        '## Twice',
        '[ok](#run-npm-start) [ok](#twice-1) [bad](#twice-2) [ok](README.md) [ok](../README.md#a) [gone](missing.md)',
        '```',
        '[in a fence](nowhere.md)',
        '```',
        '`[in a span](nowhere.md)` [web](https://example.com/x.md)',
      ].join('\n'),
      [resolve('README.md')]: '# A\n',
    };
    const io = { read: (f: string) => docs[f] ?? readFileSync(f, 'utf8'), exists: (f: string) => f in docs || existsSync(f) };
    expect(brokenLinks([resolve('docs/a.md')], io)).toEqual(['docs/a.md: #twice-2 (no heading #twice-2 in docs/a.md)', 'docs/a.md: README.md (no docs/README.md)', 'docs/a.md: missing.md (no docs/missing.md)']);
  });
});
