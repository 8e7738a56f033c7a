// Charts that carry information: axes with units, a grid, hover values, threshold bands and time ticks whose step fits
// the range (a fleet an hour old still draws its lines, a year of data does not print 365 labels). Plain SVG.
import { useMemo, useState, type MouseEvent, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useI18n, type Language } from './lib/i18n';
import type { Tone } from './lib/labels';

export interface Point {
  t: string | Date;
  v: number;
}

export interface Series {
  name: string;
  points: Point[];
}

export interface Threshold {
  value: number;
  label: string;
  tone: Tone;
}

const palette = ['#2563eb', '#c2410c', '#15803d', '#7c3aed', '#be123c', '#0e7490'];
export const toneColour: Record<Tone, string> = { ok: '#15803d', info: '#2563eb', warn: '#b45309', danger: '#b91c1c', neutral: '#475569' };

const time = (t: string | Date) => (t instanceof Date ? t.getTime() : new Date(t).getTime());

/** A "nice" step (1, 2 or 5 × 10^n) that cuts 0..max into about `count` parts. */
export function niceStep(max: number, count = 4): number {
  if (!(max > 0)) return 1;
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

const minute = 60_000, hour = 60 * minute, day = 24 * hour;
const timeSteps = [minute, 5 * minute, 15 * minute, 30 * minute, hour, 3 * hour, 6 * hour, 12 * hour, day, 2 * day, 7 * day, 14 * day, 30 * day, 91 * day, 365 * day];

/** The time step between x ticks: the smallest on the list that gives at most `count` ticks over the range. */
export function timeStep(rangeMs: number, count = 6): number {
  return timeSteps.find((step) => rangeMs / step <= count) ?? timeSteps[timeSteps.length - 1];
}

/** Tick times: multiples of the step (in local time for a day or more, so ticks sit on midnights). */
export function timeTicks(from: number, to: number, count = 6): number[] {
  const step = timeStep(to - from, count);
  const offset = step >= day ? new Date(from).getTimezoneOffset() * minute : 0;
  const first = Math.ceil((from - offset) / step) * step + offset;
  const ticks: number[] = [];
  for (let t = first; t <= to; t += step) ticks.push(t);
  return ticks;
}

export function formatTick(language: Language, t: number, rangeMs: number): string {
  const date = new Date(t);
  if (rangeMs <= 2 * day) return date.toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit', hour12: false });
  if (rangeMs <= 400 * day) return date.toLocaleDateString(language, { month: 'numeric', day: 'numeric' });
  return date.toLocaleDateString(language, { year: 'numeric', month: 'numeric' });
}

/**
 * Lines over time with axes, units, a grid, threshold bands, a legend (several series) and the values under the
 * pointer. A single point is drawn as a dot on a range widened around it.
 */
export function LineChart({ series, unit, format, thresholds = [], height = 220, testId, label }: {
  series: Series[]; unit: string; format?: (v: number) => string; thresholds?: Threshold[]; height?: number; testId?: string; label?: string;
}) {
  const { language, formatNumber, formatDateTime, t } = useI18n();
  const show = format ?? ((v: number) => `${formatNumber(v)} ${unit}`.trim());
  const width = 640, left = 56, right = 16, top = 14, bottom = 26;
  const [hover, setHover] = useState<number | null>(null);

  const prepared = useMemo(() => series.map((s) => ({ ...s, points: s.points.map((p) => ({ t: time(p.t), v: p.v })).filter((p) => !Number.isNaN(p.t)).sort((a, b) => a.t - b.t) })), [series]);
  const all = prepared.flatMap((s) => s.points);
  if (all.length === 0) {
    return (
      <figure className="chart line-chart" data-testid={testId}>
        {label && <figcaption>{label}</figcaption>}
        <p className="chart-empty">{t('ui_chartNoData')}</p>
      </figure>
    );
  }
  let from = Math.min(...all.map((p) => p.t)), to = Math.max(...all.map((p) => p.t));
  if (to - from < minute) {
    from -= 30 * minute;
    to += 30 * minute;
  }
  const peak = Math.max(0, ...all.map((p) => p.v), ...thresholds.map((th) => th.value));
  const step = niceStep(peak * 1.05 || 1);
  const yMax = Math.max(step, Math.ceil((peak * 1.05) / step) * step);
  const x = (tt: number) => left + ((tt - from) / (to - from)) * (width - left - right);
  const y = (v: number) => top + (1 - Math.max(0, v) / yMax) * (height - top - bottom);
  const yTicks: number[] = [];
  for (let v = 0; v <= yMax + step / 2; v += step) yTicks.push(v);
  const xTicks = timeTicks(from, to);
  const times = [...new Set(all.map((p) => p.t))].sort((a, b) => a - b);
  const sorted = [...thresholds].sort((a, b) => a.value - b.value);

  const onMove = (event: MouseEvent<SVGSVGElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    if (box.width === 0) return;
    const at = from + (((event.clientX - box.left) / box.width) * width - left) / (width - left - right) * (to - from);
    let nearest = times[0];
    for (const tt of times) if (Math.abs(tt - at) < Math.abs(nearest - at)) nearest = tt;
    setHover(nearest);
  };
  const hoverValues = hover === null ? [] : prepared.map((s, i) => ({ name: s.name, colour: palette[i % palette.length], point: s.points.find((p) => p.t === hover) })).filter((h) => h.point);

  return (
    <figure className="chart line-chart" data-testid={testId}>
      {label && <figcaption>{label}</figcaption>}
      <div className="chart-frame">
        <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label ?? series.map((s) => s.name).join(', ')} onMouseMove={onMove} onMouseLeave={() => setHover(null)}>
          {sorted.map((th, i) => {
            const upper = i + 1 < sorted.length ? sorted[i + 1].value : yMax;
            return (
              <g key={`${th.label}-${th.value}`} className="threshold" data-threshold={th.value}>
                <rect x={left} width={width - left - right} y={y(upper)} height={Math.max(0, y(th.value) - y(upper))} fill={toneColour[th.tone]} opacity={0.07} />
                <line x1={left} x2={width - right} y1={y(th.value)} y2={y(th.value)} stroke={toneColour[th.tone]} strokeDasharray="4 3" />
                <text x={width - right - 2} y={y(th.value) - 3} textAnchor="end" className="tick" fill={toneColour[th.tone]}>{th.label}</text>
              </g>
            );
          })}
          {yTicks.map((v) => (
            <g key={`y${v}`}>
              <line x1={left} x2={width - right} y1={y(v)} y2={y(v)} className="grid" />
              <text x={left - 6} y={y(v) + 3} textAnchor="end" className="tick">{formatNumber(v)}</text>
            </g>
          ))}
          <text x={4} y={top - 3} className="tick unit">{unit}</text>
          {xTicks.map((tt) => (
            <g key={`x${tt}`}>
              <line x1={x(tt)} x2={x(tt)} y1={top} y2={height - bottom} className="grid" />
              <text x={x(tt)} y={height - 8} textAnchor="middle" className="tick">{formatTick(language, tt, to - from)}</text>
            </g>
          ))}
          <line x1={left} x2={width - right} y1={height - bottom} y2={height - bottom} className="axis" />
          <line x1={left} x2={left} y1={top} y2={height - bottom} className="axis" />
          {prepared.map((s, i) => (
            <g key={s.name} data-series={s.name}>
              {s.points.length > 1 && <polyline className="line" stroke={palette[i % palette.length]} points={s.points.map((p) => `${x(p.t)},${y(p.v)}`).join(' ')} />}
              {(s.points.length <= 40) && s.points.map((p) => (
                <circle key={p.t} cx={x(p.t)} cy={y(p.v)} r={s.points.length === 1 ? 4 : 2.5} fill={palette[i % palette.length]}>
                  <title>{`${s.name} · ${formatDateTime(new Date(p.t))}: ${show(p.v)}`}</title>
                </circle>
              ))}
            </g>
          ))}
          {hover !== null && <line className="hover-line" x1={x(hover)} x2={x(hover)} y1={top} y2={height - bottom} />}
        </svg>
        {hover !== null && hoverValues.length > 0 && (
          <div className="chart-tooltip" data-testid={testId ? `${testId}-tooltip` : undefined} style={{ left: `${(x(hover) / width) * 100}%` }}>
            <div className="muted-text">{formatDateTime(new Date(hover))}</div>
            {hoverValues.map((h) => <div key={h.name}><span className="swatch" style={{ background: h.colour }} /> {h.name}: <strong>{show(h.point!.v)}</strong></div>)}
          </div>
        )}
      </div>
      {series.length > 1 && (
        <div className="legend">
          {series.map((s, i) => <span key={s.name}><span className="swatch" style={{ background: palette[i % palette.length] }} />{s.name}</span>)}
        </div>
      )}
    </figure>
  );
}

/** A small line without axes: the trend behind a number. */
export function Sparkline({ points, testId, tone = 'info', label }: { points: (Point | number)[]; testId?: string; tone?: Tone; label?: string }) {
  const width = 120, height = 32, pad = 2;
  const values = points.map((p) => (typeof p === 'number' ? p : p.v));
  if (values.length === 0) return null;
  const max = Math.max(...values, 0) || 1;
  const min = Math.min(...values, 0);
  const x = (i: number) => (values.length === 1 ? width / 2 : pad + (i / (values.length - 1)) * (width - 2 * pad));
  const y = (v: number) => pad + (1 - (v - min) / (max - min || 1)) * (height - 2 * pad);
  const line = values.map((v, i) => `${x(i)},${y(v)}`).join(' ');
  return (
    <svg className="sparkline" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" data-testid={testId} role="img" aria-label={label ?? values.join(', ')}>
      {values.length > 1 && <polygon points={`${x(0)},${height} ${line} ${x(values.length - 1)},${height}`} fill={toneColour[tone]} opacity={0.12} />}
      {values.length > 1 ? <polyline points={line} fill="none" stroke={toneColour[tone]} strokeWidth={1.5} /> : <circle cx={x(0)} cy={y(values[0])} r={2.5} fill={toneColour[tone]} />}
    </svg>
  );
}

/** A Grafana-style stat: what it counts, the number, its trend, and a link to the filtered list behind it. */
export function StatTile({ label, value, points, to, tone = 'neutral', testId, hint }: {
  label: string; value: ReactNode; points?: (Point | number)[]; to?: string; tone?: Tone; testId?: string; hint?: ReactNode;
}) {
  const body = (
    <>
      <span className="stat-tile-label">{label}</span>
      <strong className="stat-tile-value">{value}</strong>
      {hint && <span className="stat-tile-hint">{hint}</span>}
      {points && points.length > 0 && <Sparkline points={points} tone={tone === 'neutral' ? 'info' : tone} label={label} />}
    </>
  );
  const className = `stat-tile tone-${tone}`;
  return to ? <Link to={to} className={className} data-testid={testId}>{body}</Link> : <div className={className} data-testid={testId}>{body}</div>;
}
