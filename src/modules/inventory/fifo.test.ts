import { describe, expect, it } from 'vitest';
import { planFifo } from './fifo.js';

const u = (n: number) => BigInt(Math.round(n * 1000));
const layer = (id: string, qty: number, cost: number) => ({ id, remaining: u(qty), unitCost: BigInt(cost) });

describe('planFifo', () => {
  it('takes the oldest layers first and costs the move at the weighted cost of what it took', () => {
    const plan = planFifo({ onHandBefore: u(20), lastCost: 1_500n, layers: [layer('a', 10, 1_000), layer('b', 10, 1_500)] }, [{ key: 's', quantity: -u(15), unitCost: null }]);
    expect(plan.costs.get('s')).toEqual({ unitCost: 1_167n, total: 17_500n });
    expect([...plan.updated]).toEqual([['a', 0n], ['b', u(5)]]);
    expect(plan.opened).toEqual([]);
  });

  it('costs units beyond the layers at the last known cost, and a receipt fills the deficit before opening a layer', () => {
    const plan = planFifo({ onHandBefore: u(2), lastCost: 900n, layers: [layer('a', 2, 1_000)] }, [
      { key: 'sale', quantity: -u(5), unitCost: null },
      { key: 'in', quantity: u(10), unitCost: 2_000n },
      { key: 'gain', quantity: u(1), unitCost: null },
    ]);
    expect(plan.costs.get('sale')).toEqual({ unitCost: 1_000n, total: 5_000n });
    expect(plan.opened).toEqual([
      { key: 'in', quantity: u(7), remaining: u(7), unitCost: 2_000n },
      { key: 'gain', quantity: u(1), remaining: u(1), unitCost: 2_000n },
    ]);
  });

  it('a layer opened and partly taken in the same batch opens with what is left; weighed quantities round per slice', () => {
    const plan = planFifo({ onHandBefore: 0n, lastCost: 0n, layers: [] }, [
      { key: 'in', quantity: u(1.5), unitCost: 333n },
      { key: 'out', quantity: -u(0.25), unitCost: null },
    ]);
    expect(plan.costs.get('out')).toEqual({ unitCost: 332n, total: 83n }); // 0.25 × 333 = 83.25 → 83
    expect(plan.opened).toEqual([{ key: 'in', quantity: u(1.5), remaining: u(1.25), unitCost: 333n }]);
  });
});
