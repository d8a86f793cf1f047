import { Linter } from 'eslint';
import path from 'node:path';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { LAYERS, layerRules } from '../../../scripts/lint/layers.mjs';

// The floors' lint rule on its own (no type information needed): what `npm run lint` applies to src/.
const linter = new Linter({ configType: 'flat', cwd: process.cwd() });
const config = [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, plugins: { '@typescript-eslint': tseslint.plugin } }, ...layerRules()] as Linter.Config[];
const errors = (file: string, code: string) => linter.verify(code, config, { filename: path.join(process.cwd(), file) }).map((m) => m.message);

describe('floors point down (scripts/lint/layers.mjs)', () => {
  it('an upward import fails, type-only too, at any depth', () => {
    expect(errors('src/datasets/probe.ts', "import { LIVE } from '../registry/names';\nexport const x = LIVE;\n")).toEqual([expect.stringMatching(/src\/datasets sits on floor 5 .*never from .*registry/)]);
    expect(errors('src/evaluation/protocol/probe.ts', "import type { RunConfig } from '../../pipeline/runConfig';\nexport type X = RunConfig;\n")).toEqual([expect.stringMatching(/src\/evaluation sits on floor 8/)]);
    expect(errors('src/store/probe.ts', "import { x } from '../registry/championAge';\nexport const y = x;\n")).toHaveLength(1);
    expect(errors('src/util/probe.ts', "import { x } from '../logger';\nexport const y = x;\n")).toHaveLength(1); // sideways on the ground floor
  });

  it('a downward import, and an import within the same part, pass', () => {
    expect(errors('src/evaluation/protocol/probe.ts', "import type { Dataset } from '../../datasets/dataset';\nimport { mean } from '../stats/descriptive';\nexport const f = (d: Dataset) => mean([d.rows]);\n")).toEqual([]);
    expect(errors('src/cli/probe.ts', "import { x } from '../temporal/client';\nexport const y = x;\n")).toEqual([]);
  });

  it('every part of src/ is on exactly one floor', async () => {
    const { readdir } = await import('node:fs/promises');
    const parts = (await readdir('src', { withFileTypes: true })).map((e) => (e.isDirectory() ? e.name : e.name.replace(/\.ts$/, ''))).sort();
    const placed = LAYERS.flat();
    expect(placed.length).toBe(new Set(placed).size);
    expect([...placed].sort()).toEqual(parts);
  });
});
