/**
 * The live wall's panels, one chunk (stream-panels.tsx and wall.tsx load it lazily): the roles
 * that watch the live wall download it with their first paint, the evaluator's KPI desk never does.
 */
export { AlertsPanel } from '../panels/alerts-panel.tsx';
export { CapacityPanel } from '../panels/capacity-panel.tsx';
export { DossiersPanel } from '../panels/dossiers-panel.tsx';
export { PricesPanel } from '../panels/prices-panel.tsx';
export { StreamTable } from '../panels/stream-table.tsx';
export { VaccinationPanel } from '../panels/vaccination-panel.tsx';
export { PlacementPanel } from '../placement/placement-panel.tsx';
