import type { ReactNode } from 'react';

/** a titled box of the wall, with its freshness badge at the top right */
/** `stale`: the panel's stream is stale or the connection is lost — its numbers are dimmed, not only badged */
export function Panel({ id, title, badge, children, className, stale = false }: { id: string; title: string; badge?: ReactNode; children: ReactNode; className?: string; stale?: boolean }) {
  return (
    <section className={`panel ${className ?? ''} ${stale ? 'is-stale' : ''}`} data-testid={`panel-${id}`} data-stale={stale ? 'true' : 'false'} aria-labelledby={`panel-${id}-title`}>
      <header className="panel-head">
        <h2 id={`panel-${id}-title`}>{title}</h2>
        {badge}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}
