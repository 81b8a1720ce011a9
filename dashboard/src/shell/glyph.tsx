/**
 * The few symbols the wall draws, as inline SVG: Be Vietnam Pro (the bundled font) has no
 * ⚠ or ●, and a wall without the system's fallback fonts would show an empty box.
 */
export function Glyph({ name }: { name: 'warn' | 'dot' }) {
  if (name === 'dot')
    return (
      <svg className="glyph" viewBox="0 0 10 10" aria-hidden="true">
        <circle cx="5" cy="5" r="4" fill="currentColor" />
      </svg>
    );
  return (
    <svg className="glyph" viewBox="0 0 20 18" aria-hidden="true">
      <path d="M10 1 L19 17 H1 Z" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" />
      <path d="M10 7 V11.5" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      <circle cx="10" cy="14.3" r="1.2" fill="currentColor" />
    </svg>
  );
}
