import { createRequire } from 'node:module';

/**
 * The three native codec packages (snappy, lz4, zstd: napi-rs builds), each loaded the first
 * time it is used. Loaded at start they cost every process about 22 MiB of memory
 * (`node -e` with and without them: 40 → 62 MiB), which a worker reading uncompressed or gzip
 * batches never needs; a process that meets a compressed batch or body pays it then.
 */
const require = createRequire(import.meta.url);

let zstdPackage: typeof import('@mongodb-js/zstd') | undefined;
let lz4Package: typeof import('lz4-napi') | undefined;
let snappyPackage: typeof import('snappy') | undefined;

export const zstd = (): typeof import('@mongodb-js/zstd') => (zstdPackage ??= require('@mongodb-js/zstd') as typeof import('@mongodb-js/zstd'));
export const lz4 = (): typeof import('lz4-napi') => (lz4Package ??= require('lz4-napi') as typeof import('lz4-napi'));
export const snappy = (): typeof import('snappy') => (snappyPackage ??= require('snappy') as typeof import('snappy'));
