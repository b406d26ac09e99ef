/**
 * `@idgov/testing`: deterministic fixtures and a fake Microsoft Graph Lifecycle Workflows service
 * (a `fetch` function, an HTTP server on 127.0.0.1 and msw handlers) that computes OData queries
 * with `@idgov/odata`, pages, errs and throttles like the service. Bundles for browsers: the
 * Node-only parts live in `@idgov/testing/server`, and `fake.listen` loads them only in Node.
 */
export type { TaskDefinitionSpec, WorkflowBlueprint } from './catalog.js';
export { taskDefinitionSpecs, workflowBlueprints } from './catalog.js';
export { createDemoScenario, demoScenarioOptions } from './demo-scenario.js';
export type {
  CustomTaskExtensionFixture,
  RunFixture,
  TaskDefinitionFixture,
  TaskFixture,
  TaskProcessingResultFixture,
  TaskReportFixture,
  UserFixture,
  UserProcessingResultFixture,
  WorkflowFixture,
  WorkflowTemplateFixture,
  WorkflowVersionFixture,
} from './factories.js';
export {
  createCustomTaskExtension,
  createRun,
  createTask,
  createTaskDefinitions,
  createTaskProcessingResult,
  createTaskReport,
  createUser,
  createUserProcessingResult,
  createWorkflow,
  createWorkflowTemplate,
  createWorkflowVersion,
} from './factories.js';
export type { FakeGraph, FakeGraphOptions, FakeRequest, RecordedRequest } from './fake-graph.js';
export { createFakeGraph, DEFAULT_REQUEST_LOG_SIZE } from './fake-graph.js';
export type { FakeResponse } from './fake-response.js';
export type { Fault, FaultRoute, FaultRule, FaultTarget } from './faults.js';
export type { DoorLimits, FakeGraphServer, ListenOptions } from './http-door.js';
export type { Random } from './random.js';
export { createRandom, graphDateTime } from './random.js';
export type { DirectoryObjectRef, Scenario, ScenarioCustomTaskExtension, ScenarioOptions, ScenarioRun, ScenarioSettings, ScenarioTemplate, ScenarioUserResult, ScenarioWorkflow } from './scenario.js';
export { createScenario, recount } from './scenario.js';
