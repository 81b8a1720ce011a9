import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { deadLetterReasons } from '../src/contracts/dead-letter.ts';
import { allTopics } from '../src/contracts/registry.ts';
import { maxOxygenStockLitres } from '../src/streams/capacity/contract.ts';
import { earliestInstant, latestInstant, maxCount } from '../src/contracts/envelope.ts';
import { errorCodes } from '../src/errors.ts';

const doc = readFileSync(resolve(import.meta.dirname, '../../docs/contracts.md'), 'utf8');
const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');

it.each(allTopics())('docs/contracts.md documents topic %s', (t) => expect(doc).toContain(`\`${t}\``));
it.each([...deadLetterReasons])('docs/contracts.md documents dead-letter reason %s', (r) => expect(doc).toContain(`\`${r}\``));
it.each(Object.keys(errorCodes))('README documents error code %s', (c) => expect(readme).toContain(`\`${c}\``));
it.each([
  ['the largest count', maxCount.toLocaleString('en')],
  ['the earliest instant', earliestInstant],
  ['the latest instant', latestInstant],
  ['the most oxygen', maxOxygenStockLitres.toLocaleString('en')],
])('docs/contracts.md states the bound the contract enforces: %s (%s)', (_what, bound) => expect(doc).toContain(bound));
it('docs/contracts.md says which fields the server fills in', () => expect(doc).toMatch(/## What the server fills in[\s\S]*`receivedAt`[\s\S]*refused/));
