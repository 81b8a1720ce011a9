import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { projectPlace } from '../src/streams/disbursement/projects.ts';

const pack = (file: string) => JSON.parse(readFileSync(new URL(`../../packs/vung-tau/${file}`, import.meta.url), 'utf8'));

describe('the Vũng Tàu pack’s public-investment projects (projects.json)', () => {
  const projects = z.array(projectPlace).parse(pack('projects.json'));
  const wards = new Set((pack('wards.geojson').features as Array<{ properties: { code: string } }>).map((f) => f.properties.code));

  it('are projects of real wards, each id once', () => {
    expect(projects.length).toBeGreaterThanOrEqual(10);
    expect(new Set(projects.map((p) => p.id)).size).toBe(projects.length);
    for (const p of projects) expect(wards.has(p.wardCode), `${p.id}: ward ${p.wardCode}`).toBe(true);
  });

  it('say what is simulated and why, and cite a source for what is not', () => {
    for (const p of projects) {
      expect(p.simulated || p.simulatedFields.length === 0, p.id).toBe(true);
      if (p.simulated) expect(p.simulatedFields, p.id).toContain('capitalPlanVnd');
      expect(p.basis.length, p.id).toBeGreaterThan(20);
      expect(p.sources.length, p.id).toBeGreaterThan(0);
    }
    // the one project with a public record keeps its name and total investment as sourced
    const sourced = projects.filter((p) => !p.simulatedFields.includes('name'));
    expect(sourced.map((p) => p.id)).toEqual(['da-chinh-trang-thuy-van']);
    expect(sourced[0]!.sources.every((s) => s.startsWith('https://'))).toBe(true);
  });

  it('are judged by the disbursement-rate KPI of the pack: 95% of the year’s plan', () => {
    const kpi = (pack('kpi-targets.json') as Array<{ id: string; stream: string; target: number; direction: string }>).find((k) => k.id === 'disbursement-rate');
    expect(kpi).toMatchObject({ stream: 'disbursement', target: 0.95, direction: 'atLeast' });
  });
});
