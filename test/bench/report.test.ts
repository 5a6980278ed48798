import { describe, expect, it } from 'vitest';
import { figure } from '../../bench/report-kit.js';
import { discoverBenches, renderResults, type BenchReport } from '../../bench/report-render.js';
import { ROOT } from '../../bench/server.js';

describe('the one benchmark report (bench/report.ts)', () => {
  it('finds every bench by convention: bench/run.ts as foundation, then each bench/<area>/run.ts', () => {
    const areas = discoverBenches(ROOT).map((b) => b.area);
    expect(areas[0]).toBe('foundation');
    expect(areas).toEqual(expect.arrayContaining(['catalog', 'sales']));
    expect(areas).not.toContain('results');
  });

  it('computes whether a figure meets its target, including an extra condition', () => {
    expect(figure({ figure: 'a', measured: 1600, unit: 'sales/s', atLeast: 1500, database: 'PG' }).met).toBe(true);
    expect(figure({ figure: 'a', measured: 1600, unit: 'sales/s', atLeast: 1500, also: { ok: false, target: 'p99 ≤ 25 ms' }, database: 'PG' })).toMatchObject({ met: false, target: '≥ 1,500 sales/s, p99 ≤ 25 ms' });
    expect(figure({ figure: 'a', measured: 6, unit: 's', atMost: 5, database: 'PG' }).met).toBe(false);
    expect(figure({ figure: 'baseline', measured: 6484, unit: 'sales/s', database: 'PG' })).toMatchObject({ target: null, met: null });
    expect(figure({ figure: 'a', measured: undefined, unit: 's', atMost: 5, database: 'PG' })).toMatchObject({ measured: null, met: null });
  });

  it('renders every figure of every area as one Markdown row, and a failed bench as a row saying so', () => {
    const report: BenchReport = {
      started: '2026-11-21T03:00:00.000Z',
      finished: '2026-11-21T03:10:00.000Z',
      quick: true,
      commit: 'abcdef1234567890',
      working_tree_dirty: false,
      machine: { cpus: 2, cpu_model: 'EPYC', memory_gb: 24, os: 'Linux', node: 'v20', load_average_at_start: [0.1, 0.2, 0.3] },
      areas: [
        { area: 'sales', bench: 'bench/sales/run.ts', seconds: 30, figures: [figure({ figure: 'sales: checkout', measured: 839, unit: 'sales/s', atLeast: 1500, database: 'PostgreSQL 15.8', date: '2026-11-21T03:01:00Z', detail: 'p99 65 ms' }), figure({ figure: 'sales: checkout ÷ raw', measured: 0.13, unit: '×', database: 'PostgreSQL 15.8', date: '2026-11-21T03:01:00Z' })] },
        { area: 'inventory', bench: 'bench/inventory/run.ts', seconds: 1, figures: [], error: 'exited with 1' },
      ],
    };
    const md = renderResults(report, '## Notes\nhand-written');
    expect(md).toContain('| figure | target | measured | database | date | met |');
    expect(md).toContain('| sales: checkout | ≥ 1,500 sales/s | 839 sales/s (p99 65 ms) | PostgreSQL 15.8 | 2026-11-21 | **no** |');
    expect(md).toContain('| sales: checkout ÷ raw | (baseline) | 0.13 × | PostgreSQL 15.8 | 2026-11-21 | — |');
    expect(md).toContain('bench failed: exited with 1');
    expect(md).toContain('Quick run');
    expect(md).toContain('0 of 1 targets met');
    expect(md.trimEnd().endsWith('hand-written')).toBe(true);
  });
});
