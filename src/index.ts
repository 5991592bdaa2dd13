/** The handlers the manifest names (`index.<export>`); the wiring lives in src/forge/index.ts. */
export { applyConsumer, checkIssues, ingestConsumer, onIssueDelete, onWorklog, periodsConsumer, reconcile, reportPersonalDataWeekly, resolverHandler, restApi, syncConsumer } from './forge/index';
