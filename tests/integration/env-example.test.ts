import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../server/config';

describe('.env.example', () => {
  it('lists every configuration variable, and only those', () => {
    const listed = readFileSync('.env.example', 'utf8')
      .split('\n')
      .map((l) => l.match(/^([A-Z0-9_]+)=/)?.[1])
      .filter(Boolean);
    const schemaKeys = Object.keys(ConfigSchema.in.shape);
    expect(new Set(listed)).toEqual(new Set(schemaKeys));
  });
});
