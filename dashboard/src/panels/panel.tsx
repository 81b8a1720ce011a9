import type { ReactNode } from 'react';

/** a titled box of the wall, with its freshness badge at the top right */
export function Panel({ id, title, badge, children, className }: { id: string; title: string; badge?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={`panel ${className ?? ''}`} data-testid={`panel-${id}`} aria-labelledby={`panel-${id}-title`}>
      <header className="panel-head">
        <h2 id={`panel-${id}-title`}>{title}</h2>
        {badge}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}
