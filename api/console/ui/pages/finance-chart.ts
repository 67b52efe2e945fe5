import { html } from 'htm/preact';
import { usd, when } from '../components';

const W = 600;
const H = 220;
const PAD = { left: 56, right: 110, top: 12, bottom: 28 };

/**
 * The month in one SVG: spend so far as a line from the 1st to the day it was collected, the
 * forecast dashed from there to the month's end, and the limit as a level. Plain SVG, no library.
 */
export function MonthChart(props: {
  month: string;
  limitUsd: number;
  actualUsd: number;
  actualAt?: string;
  forecastUsd?: number;
}) {
  const [y = 1970, m = 1] = props.month.split('-').map(Number);
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const seen = props.actualAt?.startsWith(props.month) ? new Date(props.actualAt).getUTCDate() : days;
  const top = Math.max(1, props.limitUsd, props.actualUsd, props.forecastUsd ?? 0) * 1.1;
  const x = (day: number) => PAD.left + (day / days) * (W - PAD.left - PAD.right);
  const yOf = (v: number) => H - PAD.bottom - (v / top) * (H - PAD.top - PAD.bottom);
  const ticks = [1, 10, 20, days];
  const label = (v: number, text: string, cls: string) =>
    html`<text x=${W - PAD.right + 6} y=${yOf(v) + 4} class=${`chart-label ${cls}`}>${text}</text>`;
  const description = [
    `Spent ${usd(props.actualUsd)} by day ${seen}${props.actualAt ? ` (as of ${when(props.actualAt)})` : ''}`,
    props.forecastUsd === undefined ? 'no forecast yet' : `forecast ${usd(props.forecastUsd)} at month end`,
    `limit ${usd(props.limitUsd)}.`,
  ].join('; ');
  return html`<figure>
    <svg role="img" aria-labelledby="month-title month-desc" width="100%" viewBox=${`0 0 ${W} ${H}`}>
      <title id="month-title">Spend in ${props.month} against the limit</title>
      <desc id="month-desc">${description}</desc>
      <line x1=${PAD.left} y1=${H - PAD.bottom} x2=${x(days)} y2=${H - PAD.bottom} class="chart-axis" />
      ${ticks.map(
        (d) => html`<text x=${x(d)} y=${H - 8} text-anchor="middle" class="chart-label">${d}</text>`,
      )}
      <line
        x1=${PAD.left}
        y1=${yOf(props.limitUsd)}
        x2=${x(days)}
        y2=${yOf(props.limitUsd)}
        class="chart-limit"
      />
      ${label(props.limitUsd, `limit ${usd(props.limitUsd)}`, '')}
      <polyline points=${`${x(0)},${yOf(0)} ${x(seen)},${yOf(props.actualUsd)}`} class="chart-actual" />
      ${
        props.forecastUsd !== undefined &&
        html`<polyline
            points=${`${x(seen)},${yOf(props.actualUsd)} ${x(days)},${yOf(props.forecastUsd)}`}
            class="chart-forecast"
          />
          ${label(props.forecastUsd, `forecast ${usd(props.forecastUsd)}`, '')}`
      }
      <text x=${PAD.left - 6} y=${yOf(props.actualUsd) + 4} text-anchor="end" class="chart-label">
        ${usd(props.actualUsd)}
      </text>
    </svg>
    <figcaption>
      Solid: spent so far (day ${seen}); dashed: forecast to the month's end; level line: the limit.
    </figcaption>
  </figure>`;
}
