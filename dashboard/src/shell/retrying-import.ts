/**
 * A code-split part of the wall is loaded when first shown. A wall screen can lose its network
 * at that moment; React.lazy keeps a failed import failed for good and the error would take the
 * whole wall down. This keeps trying (every 2 s, and at once when the browser is back online),
 * so the part's placeholder stays until it loads and everything else keeps working.
 */
export function retryingImport<T>(load: () => Promise<T>, everyMs = 2_000): () => Promise<T> {
  return () =>
    new Promise<T>((resolve) => {
      const attempt = () => {
        load().then(resolve, () => {
          const again = () => {
            clearTimeout(timer);
            window.removeEventListener('online', again);
            attempt();
          };
          const timer = setTimeout(again, everyMs);
          window.addEventListener('online', again);
        });
      };
      attempt();
    });
}
