import { amountDue, dayOf, dayStart, itemsOf, toOrderDetail, type Order } from './finance';

describe('finance helpers', () => {
  it('reads an order detail flat or nested', () => {
    const flat = toOrderDetail({ id: 'o1', status: 'paid', payments: [{ id: 'p' }], instructions: { memo: 'D7K2QX' } });
    expect(flat.order.id).toBe('o1');
    expect(flat.payments).toHaveLength(1);
    expect(flat.instructions?.memo).toBe('D7K2QX');
    const nested = toOrderDetail({ order: { id: 'o2' }, audit: [{ id: 1 }] });
    expect(nested.order.id).toBe('o2');
    expect([nested.payments, nested.instructions, nested.audit.length]).toEqual([[], null, 1]);
  });

  it('owes what is left of the price and never less than nothing', () => {
    expect(amountDue({ priceCents: 3000, paidCents: 1000 } as Order)).toBe(2000);
    expect(amountDue({ priceCents: 3000, paidCents: 3500 } as Order)).toBe(0);
  });

  it('reads arrays and pages alike', () => {
    expect(itemsOf([1, 2])).toEqual([1, 2]);
    expect(itemsOf({ items: [3] })).toEqual([3]);
  });

  it('turns a local day into the instant it starts, and back', () => {
    expect(new Date(dayStart('2026-03-01')).getDate()).toBe(1);
    expect(dayOf(new Date(dayStart('2026-02-28', 1)))).toBe('2026-03-01');
    expect(dayOf(new Date(2026, 0, 5))).toBe('2026-01-05');
  });
});
