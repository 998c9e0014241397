import { num, time } from './format.ts';

export interface Point {
  value: number;
  step: number | null;
  timestamp: string;
}

const W = 320;
const H = 120;
const PAD = { left: 44, right: 8, top: 8, bottom: 20 };

/**
 * A line chart of one metric as an SVG polyline: x is the step when every point has one, else
 * time; y is scaled to the values' range. Hand-drawn because it is one polyline and two axes; a
 * charting library would be most of the bundle.
 */
export function MetricChart({ name, unit, points }: { name: string; unit: string | null; points: readonly Point[] }) {
  const bySteps = points.every((p) => p.step !== null);
  const xs = points.map((p) => (bySteps ? p.step! : Date.parse(p.timestamp)));
  const ys = points.map((p) => p.value);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const sx = (x: number) => PAD.left + (x1 === x0 ? (W - PAD.left - PAD.right) / 2 : ((x - x0) / (x1 - x0)) * (W - PAD.left - PAD.right));
  const sy = (y: number) => H - PAD.bottom - (y1 === y0 ? (H - PAD.top - PAD.bottom) / 2 : ((y - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom));
  const coords = points.map((_, i) => `${sx(xs[i]!).toFixed(1)},${sy(ys[i]!).toFixed(1)}`).join(' ');
  const last = points[points.length - 1];
  return (
    <figure class="chart" data-metric={name} data-points={points.length}>
      <figcaption>
        <b>{name}</b> {unit && <span class="muted">({unit})</span>} <span class="muted">{points.length} points{last ? `, last ${num(last.value)}` : ''}</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${name} over ${bySteps ? 'steps' : 'time'}`}>
        <line class="axis" x1={PAD.left} y1={H - PAD.bottom} x2={W - PAD.right} y2={H - PAD.bottom} />
        <line class="axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={H - PAD.bottom} />
        <text class="tick" x={PAD.left - 4} y={PAD.top + 8} text-anchor="end">{num(y1)}</text>
        <text class="tick" x={PAD.left - 4} y={H - PAD.bottom} text-anchor="end">{num(y0)}</text>
        <text class="tick" x={PAD.left} y={H - 4}>{bySteps ? `step ${x0}` : time(points[0]?.timestamp).slice(11)}</text>
        <text class="tick" x={W - PAD.right} y={H - 4} text-anchor="end">{bySteps ? `step ${x1}` : time(last?.timestamp).slice(11)}</text>
        <polyline class="line" points={coords} />
        {points.length <= 60 && points.map((_, i) => <circle class="dot" cx={sx(xs[i]!)} cy={sy(ys[i]!)} r="2" />)}
      </svg>
    </figure>
  );
}
