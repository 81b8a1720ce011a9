/** The path of the bundle of `entry` (a .ts file under `root`), built now if missing or stale. */
export function bundled(entry: string, options: { root: string; cacheDir?: string; local?: RegExp }): Promise<string>;
