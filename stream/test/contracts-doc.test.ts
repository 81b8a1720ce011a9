import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { deadLetterReasons } from '../src/contracts/dead-letter.ts';
import { allTopics } from '../src/contracts/registry.ts';
import { errorCodes } from '../src/errors.ts';

const doc = readFileSync(resolve(import.meta.dirname, '../../docs/contracts.md'), 'utf8');
const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');

it.each(allTopics())('docs/contracts.md documents topic %s', (t) => expect(doc).toContain(`\`${t}\``));
it.each([...deadLetterReasons])('docs/contracts.md documents dead-letter reason %s', (r) => expect(doc).toContain(`\`${r}\``));
it.each(Object.keys(errorCodes))('README documents error code %s', (c) => expect(readme).toContain(`\`${c}\``));
