import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { LineChart, niceStep, Sparkline, StatTile, timeStep, timeTicks } from './charts';
import { I18nProvider } from './lib/i18n';

const wrap = (node: React.ReactNode) => {
  localStorage.setItem('derp.language', 'en');
  return render(<I18nProvider><MemoryRouter>{node}</MemoryRouter></I18nProvider>);
};

afterEach(() => {
  cleanup();
  localStorage.clear();
});

describe('chart scales', () => {
  it('steps values by 1, 2 or 5 times a power of ten', () => {
    expect(niceStep(100)).toBe(50);
    expect(niceStep(7)).toBe(2);
    expect(niceStep(0)).toBe(1);
  });

  it('steps time so a young range still has ticks and a long one has few', () => {
    expect(timeStep(40 * 60_000)).toBe(15 * 60_000);
    expect(timeStep(24 * 3600_000)).toBe(6 * 3600_000);
    expect(timeStep(30 * 24 * 3600_000)).toBe(7 * 24 * 3600_000);
    const from = Date.UTC(2026, 10, 23, 10, 7), to = from + 50 * 60_000;
    const ticks = timeTicks(from, to);
    expect(ticks.length).toBeGreaterThan(1);
    expect(ticks.every((t) => t >= from && t <= to && t % (15 * 60_000) === 0)).toBe(true);
  });
});

describe('LineChart', () => {
  it('draws axes with the unit, thresholds, a legend, and the values under the pointer', () => {
    const t0 = Date.UTC(2026, 10, 23, 8);
    const points = (k: number) => [0, 1, 2].map((i) => ({ t: new Date(t0 + i * 3600_000), v: (i + 1) * k }));
    const { container } = wrap(
      <LineChart testId="cpu" unit="%" series={[{ name: 'CPU', points: points(10) }, { name: 'Memory', points: points(20) }]} thresholds={[{ value: 80, label: 'high', tone: 'danger' }]} />,
    );
    expect(container.querySelector('.unit')!.textContent).toBe('%');
    expect(container.querySelector('[data-threshold="80"]')).toBeTruthy();
    expect(screen.getByText('Memory')).toBeTruthy();
    const svg = container.querySelector('svg')!;
    svg.getBoundingClientRect = () => ({ left: 0, top: 0, width: 640, height: 220, right: 640, bottom: 220, x: 0, y: 0, toJSON: () => ({}) });
    fireEvent.mouseMove(svg, { clientX: 60, clientY: 10 });
    expect(screen.getByTestId('cpu-tooltip').textContent).toContain('10 %');
  });

  it('draws a single point as a dot and says when there is no data', () => {
    const { container } = wrap(<LineChart unit="GB" series={[{ name: 'traffic', points: [{ t: '2026-11-23T08:00:00Z', v: 2 }] }]} />);
    expect(container.querySelectorAll('circle')).toHaveLength(1);
    cleanup();
    wrap(<LineChart unit="GB" series={[{ name: 'traffic', points: [] }]} />);
    expect(screen.getByText('No data in this range')).toBeTruthy();
  });
});

describe('StatTile', () => {
  it('links the number to its list and draws its trend', () => {
    const { container } = wrap(<StatTile label="Open alerts" value={4} points={[1, 3, 4]} to="/admin/alerts" tone="danger" testId="tile" />);
    expect(screen.getByTestId('tile').getAttribute('href')).toBe('/admin/alerts');
    expect(container.querySelector('.sparkline polyline')).toBeTruthy();
    cleanup();
    const single = wrap(<Sparkline points={[5]} />);
    expect(single.container.querySelector('circle')).toBeTruthy();
  });
});
