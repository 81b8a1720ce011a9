import { manifest as manifestSchema, type Manifest, type ManifestStream } from '@haidang/stream/manifest';
import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import type { Lang } from '../format/format.ts';
import { useLang } from '../shell/use-lang.ts';

/**
 * The streams manifest (GET /api/v1/manifest, checked with the api's own zod schema): which
 * data streams exist, their labels, fields, channels, roles and panels. The wall holds no
 * stream list of its own; it reads this once per session (a new sign-in reads it again).
 */
let once: Promise<Manifest> | null = null;

function loadManifest(): Promise<Manifest> {
  once ??= api('/manifest', manifestSchema)
    .then(ordered)
    .catch((e: unknown) => {
      once = null; // a failed read is tried again, not remembered
      throw e;
    });
  return once;
}

/** the next sign-in reads the manifest again (called on sign-out and when the session changes) */
export function forgetManifest(): void {
  once = null;
}

/** the streams in wall order (panel.order, then name) */
function ordered(m: Manifest): Manifest {
  return { streams: [...m.streams].sort((a, b) => a.panel.order - b.panel.order || a.name.localeCompare(b.name)) };
}

export function useManifest(): { manifest: Manifest | undefined; error: string | undefined } {
  const [state, setState] = useState<{ manifest: Manifest | undefined; error: string | undefined }>({ manifest: undefined, error: undefined });
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = (attempt: number) =>
      loadManifest()
        .then((manifest) => live && setState({ manifest, error: undefined }))
        .catch((e: unknown) => {
          if (!live) return;
          setState((s) => ({ ...s, error: String(e) }));
          timer = setTimeout(() => read(attempt + 1), Math.min(30_000, 1000 * 2 ** attempt));
        });
    void read(0);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, []);
  return state;
}

/** a stream's name in the viewer's language; a name the manifest does not know is shown as is */
function streamLabel(m: Manifest | undefined, name: string, lang: Lang): string {
  return m?.streams.find((s) => s.name === name)?.label[lang] ?? name;
}

/** the stream a dedicated panel draws (the dashboard knows components, not stream names) */
export const streamOf = (streams: readonly ManifestStream[], component: string): ManifestStream | undefined => streams.find((s) => s.panel.component === component);

/** a stream's label in the viewer's language, from the manifest (the name itself until it is read) */
export function useStreamLabel(): (name: string) => string {
  const { lang } = useLang();
  const { manifest } = useManifest();
  return (name) => streamLabel(manifest, name, lang);
}
