// Public surface of @haidang/ingest.
export { startSimulator, type SimulatorHandle, type SimulatorOptions } from './simulator/run.ts';
