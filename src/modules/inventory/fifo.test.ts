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

  it('reconciles layers with on hand before planning (a posting costed by the old method during a switch)', () => {
    // 8 units in layers for 6 on hand: 2 left uncosted by FIFO come off the oldest layer, then the sale takes 3
    const more = planFifo({ onHandBefore: u(6), lastCost: 2_000n, layers: [layer('a', 4, 1_000), layer('b', 4, 2_000)] }, [{ key: 's', quantity: -u(3), unitCost: null }]);
    expect([...more.updated]).toEqual([['a', 0n], ['b', u(3)]]);
    expect(more.costs.get('s')).toEqual({ unitCost: 1_333n, total: 4_000n });
    const fewer = planFifo({ onHandBefore: u(5), lastCost: 3_000n, layers: [layer('a', 2, 1_000)] }, [{ key: 's', quantity: -u(4), unitCost: null }]);
    expect(fewer.costs.get('s')).toEqual({ unitCost: 2_000n, total: 8_000n }); // 2 × 1,000 + 2 × 3,000
    expect(fewer.opened).toEqual([{ key: 'reconcile', quantity: u(3), remaining: u(1), unitCost: 3_000n }]);
  });
});
