/**
 * Stands in for @atlaskit/feature-gate-js-client in our builds (aliased in bin/build-ui.mjs).
 * Atlaskit asks it about Atlassian's own feature gates; nothing in this app ever initialises it,
 * and an uninitialised client answers every gate "off" and every experiment with its default. This
 * gives the same answers without shipping (and running, on the first view) its ~120 kB of
 * Statsig client code.
 */
const FeatureGates = {
  initializeCompleted: (): boolean => false,
  checkGate: (_gate: string): boolean => false,
  getExperimentValue: <T>(_experiment: string, _parameter: string, defaultValue: T): T => defaultValue,
  getExperiment: (_experiment: string): { value: Record<string, unknown>; get: <T>(_parameter: string, defaultValue: T) => T } => ({ value: {}, get: (_parameter, defaultValue) => defaultValue }),
};

export default FeatureGates;
