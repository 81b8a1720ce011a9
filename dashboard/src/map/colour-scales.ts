/**
 * Colours of the map, chosen for a dark wall seen from across a room: a sequential
 * blue→teal→yellow ramp (viridis stops, readable by the colour-blind) for ward metrics,
 * and traffic-light steps for occupancy and price deviation with thresholds that match the
 * alert rules (85 % oxygen beds, +10 % price).
 */
export type Rgba = [number, number, number, number];

const viridis: Array<[number, [number, number, number]]> = [
  [0, [68, 1, 84]],
  [0.25, [59, 82, 139]],
  [0.5, [33, 145, 140]],
  [0.75, [94, 201, 98]],
  [1, [253, 231, 37]],
];
export const noDataColour: Rgba = [90, 96, 110, 160];

/** a value in [0, 1] on the sequential ramp (clamped); null = no data (grey) */
export function sequential(v: number | null | undefined, alpha = 200): Rgba {
  if (v === null || v === undefined || !Number.isFinite(v)) return noDataColour;
  const x = Math.min(1, Math.max(0, v));
  for (let i = 1; i < viridis.length; i++) {
    const [t1, c1] = viridis[i]!;
    const [t0, c0] = viridis[i - 1]!;
    if (x <= t1) {
      const k = (x - t0) / (t1 - t0);
      return [Math.round(c0[0] + k * (c1[0] - c0[0])), Math.round(c0[1] + k * (c1[1] - c0[1])), Math.round(c0[2] + k * (c1[2] - c0[2])), alpha];
    }
  }
  return [...viridis[viridis.length - 1]![1], alpha];
}

export const ok: Rgba = [46, 204, 113, 235];
export const watch: Rgba = [241, 196, 15, 235];
export const critical: Rgba = [231, 76, 60, 245];

/** oxygen-bed occupancy: below 70 % fine, to 85 % watch, from 85 % (the alert threshold) critical */
export function occupancyColour(r: number | null | undefined): Rgba {
  if (r === null || r === undefined) return noDataColour;
  return r >= 0.85 ? critical : r >= 0.7 ? watch : ok;
}

/** price deviation from its baseline: within ±5 % fine, to +10 % watch, from +10 % (the alert threshold) critical */
export function deviationColour(d: number | null | undefined): Rgba {
  if (d === null || d === undefined) return noDataColour;
  return d >= 0.1 ? critical : d >= 0.05 ? watch : ok;
}

export const cssColour = (c: Rgba) => `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${(c[3] / 255).toFixed(2)})`;
