import type { z } from 'zod';

/** true only when the schema would accept the value as it is; false means "ask zod" */
export type Acceptor = (value: unknown) => boolean;

interface CheckDef {
  check?: string;
  value?: unknown;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
  minimum?: number;
  maximum?: number;
}
interface Check {
  _zod: { def: CheckDef; check(payload: { value: unknown; issues: unknown[] }): unknown };
}
interface Def extends CheckDef {
  type: string;
  checks?: Check[];
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  values?: unknown[];
  entries?: Record<string, unknown>;
  options?: z.ZodType[];
  innerType?: z.ZodType;
}

const never: Acceptor = () => false;

const defOf = (s: z.ZodType | Check) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** a zod check as code, for the kinds whose meaning is a comparison; null for the others */
function inlineCheck(d: CheckDef): Acceptor | null {
  switch (d.check) {
    case 'greater_than': {
      const min = d.value as number;
      return d.inclusive ? (v) => (v as number) >= min : (v) => (v as number) > min;
    }
    case 'less_than': {
      const max = d.value as number;
      return d.inclusive ? (v) => (v as number) <= max : (v) => (v as number) < max;
    }
    case 'number_format':
      return d.format === 'safeint' ? (v) => Number.isSafeInteger(v) : null;
    case 'min_length': {
      const min = d.minimum!;
      return (v) => (v as string).length >= min;
    }
    case 'max_length': {
      const max = d.maximum!;
      return (v) => (v as string).length <= max;
    }
    case 'string_format': {
      const p = d.pattern;
      // a stateful pattern (g or y) would answer by its lastIndex: zod's own check handles it
      if (!p || p.global || p.sticky) return null;
      return (v) => p.test(v as string);
    }
    default:
      return null;
  }
}

/** any check as zod runs it: its own function on a payload, accepted when it raised nothing */
function zodCheck(c: Check): Acceptor {
  return (v) => {
    const payload = { value: v, issues: [] as unknown[] };
    const r = c._zod.check(payload);
    // an async refinement cannot be answered here
    return !(r instanceof Promise) && payload.issues.length === 0;
  };
}

function all(parts: Acceptor[]): Acceptor {
  if (parts.length === 0) return () => true;
  if (parts.length === 1) return parts[0]!;
  return (v) => {
    for (const p of parts) if (!p(v)) return false;
    return true;
  };
}

/**
 * A fast yes for the common case, compiled once from a zod schema: the same checks (zod's
 * own comparisons, patterns and refinement functions, read from the schema's definition)
 * without zod's bookkeeping per value — half the CPU of `safeParse` on an event. It says
 * true only for a value zod would accept *unchanged* (plain JSON: objects, numbers, strings,
 * booleans, enums, literals, unions and optionals; strict objects with no key left over). Anything else — a
 * schema part it does not know (transforms, defaults, pipes), a value it doubts — answers
 * false, and the caller asks zod, which then gives the reason. So it can make validation
 * faster, never looser: `acceptor.test.ts` checks that on thousands of broken events.
 */
export function compileAcceptor(schema: z.ZodType): Acceptor {
  const def = defOf(schema);
  const checks: Acceptor[] = [];
  // z.uuid(), z.iso.datetime(): the schema is itself a format check
  if (def.type === 'string' && def.check === 'string_format') checks.push(inlineCheck(def) ?? zodCheck(schema as unknown as Check));
  for (const c of def.checks ?? []) checks.push(inlineCheck(c._zod.def) ?? zodCheck(c));
  const own = all(checks);
  let base: Acceptor;
  switch (def.type) {
    case 'number':
      base = (v) => typeof v === 'number' && Number.isFinite(v);
      break;
    case 'string':
      base = (v) => typeof v === 'string';
      break;
    case 'boolean':
      base = (v) => typeof v === 'boolean';
      break;
    case 'enum': {
      // a TypeScript enum's reverse mappings would count as values here: zod decides those
      if (Object.entries(def.entries!).some(([k, v]) => k !== v)) return never;
      const values = new Set(Object.values(def.entries!));
      base = (v) => values.has(v);
      break;
    }
    case 'literal': {
      const values = new Set(def.values);
      base = (v) => values.has(v);
      break;
    }
    case 'union': {
      const options = def.options!.map(compileAcceptor);
      base = (v) => options.some((o) => o(v));
      break;
    }
    case 'optional': {
      const inner = compileAcceptor(def.innerType!);
      base = (v) => v === undefined || inner(v);
      break;
    }
    case 'object': {
      const strict = def.catchall !== undefined && defOf(def.catchall).type === 'never';
      // a loose object would keep or strip unknown keys: not "unchanged", so zod decides
      if (!strict) return never;
      const keys = Object.keys(def.shape!);
      const parts = keys.map((k) => compileAcceptor(def.shape![k]!));
      const optional = keys.map((k) => defOf(def.shape![k]!).type === 'optional');
      base = (v) => {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
        const o = v as Record<string, unknown>;
        let present = 0;
        for (let i = 0; i < keys.length; i++) {
          const x = o[keys[i]!];
          if (x === undefined) {
            if (optional[i] && !Object.hasOwn(o, keys[i]!)) continue;
            return false;
          }
          if (!Object.hasOwn(o, keys[i]!)) return false;
          present++;
          if (!parts[i]!(x)) return false;
        }
        // no key beyond the shape (own enumerable keys, as JSON.parse makes them)
        let seen = 0;
        for (const k in o) if (Object.hasOwn(o, k)) seen++;
        return seen === present && Object.getPrototypeOf(o) === Object.prototype;
      };
      break;
    }
    default:
      return never;
  }
  if (!checks.length) return base;
  return (v) => base(v) && own(v);
}
