import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registry, routeOf } from './metrics.js';

describe('routeOf', () => {
  it('folds ids, numbers and assets into one pattern each', () => {
    expect(routeOf('/auctions/0b7c5c1e-2f4d-4c4e-9d7a-1a2b3c4d5e6f')).toBe('/auctions/:id');
    expect(routeOf('/court/cases/0B7C5C1E-2F4D-4C4E-9D7A-1A2B3C4D5E6F/funds')).toBe('/court/cases/:id/funds');
    expect(routeOf('/transparency/checkpoints/42')).toBe('/transparency/checkpoints/:n');
    expect(routeOf('/assets/entry.client-AbC123.js')).toBe('/assets/*');
    expect(routeOf('/')).toBe('/');
    expect(routeOf('/a/b/c/d/e/f')).toBe('/a/b/c/d');
  });
});

describe('the Grafana dashboard (docs/grafana)', () => {
  it('charts only series the registry exports', async () => {
    const dashboard = readFileSync('docs/grafana/lastmile-dashboard.json', 'utf8');
    const used = new Set(dashboard.match(/lastmile_[a-z0-9_]+/g));
    const exported = await registry.metrics();
    const names = new Set(
      [...exported.matchAll(/^# TYPE (\S+) (\w+)$/gm)].flatMap(([, name, type]) =>
        type === 'histogram' ? [`${name}_bucket`, `${name}_count`, `${name}_sum`] : [name!],
      ),
    );
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((m) => !names.has(m))).toEqual([]);
  });
});
