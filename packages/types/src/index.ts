/**
 * `@idgov/types`: the types of Microsoft Graph's Lifecycle Workflows API, generated from its
 * OpenAPI description, with friendly names and the runtime metadata the other packages read.
 */
import { enums } from './generated/metadata.js';

export type { components, operations, paths } from './generated/openapi.js';
export { entities, enums, operations as operationMetadata } from './generated/metadata.js';
export type {
  EntityMetadata,
  EnumMetadata,
  FilterOperator,
  HttpMethod,
  OperationMetadata,
  PropertyKind,
  PropertyMetadata,
  QueryOption,
} from './metadata-model.js';

// Every schema has a generated name (its last segment, in PascalCase), so editors and declaration
// files show `UserProcessingResult`, not `components["schemas"]["microsoft.graph.…"]`; all are
// exported, so a consumer's inferred types can always be named (test/exports.test.ts keeps it so).
export type {
  CustomCalloutExtension,
  CustomExtensionAuthenticationConfiguration,
  CustomExtensionCallbackConfiguration,
  CustomExtensionClientConfiguration,
  CustomExtensionData,
  CustomExtensionEndpointConfiguration,
  CustomTaskExtension,
  CustomTaskExtensionCallbackData,
  CustomTaskExtensionCollectionResponse,
  CustomTaskExtensionOperationStatus,
  EmailSettings,
  Entity,
  ErrorDetails,
  InnerError,
  Insights,
  KeyValuePair,
  LifecycleManagementSettings,
  /** A flags enum: one member or several joined by commas (`"joiner,leaver"`). */
  LifecycleTaskCategory,
  LifecycleWorkflowCategory,
  LifecycleWorkflowProcessingStatus,
  MainError,
  ODataCountResponse,
  /** Graph's error body: `{ error: { code, message, innerError: { date, request-id, … } } }`. */
  ODataError,
  Parameter,
  Run,
  RunCollectionResponse,
  RunSummary,
  Task,
  TaskCollectionResponse,
  TaskDefinition,
  TaskDefinitionCollectionResponse,
  TaskProcessingResult,
  TaskProcessingResultCollectionResponse,
  TaskReport,
  TaskReportCollectionResponse,
  TaskReportSummary,
  TopTasksInsightsSummary,
  TopWorkflowsInsightsSummary,
  /** The stub of `microsoft.graph.user` the slice keeps: scalar properties only. */
  User,
  UserProcessingResult,
  UserProcessingResultCollectionResponse,
  UserSummary,
  ValueType,
  Workflow,
  WorkflowBase,
  WorkflowCollectionResponse,
  WorkflowExecutionConditions,
  WorkflowExecutionType,
  WorkflowsInsightsByCategory,
  WorkflowsInsightsSummary,
  WorkflowTemplate,
  WorkflowTemplateCollectionResponse,
  WorkflowVersion,
  WorkflowVersionCollectionResponse,
} from './generated/openapi.js';

type EnumName = keyof typeof enums extends `microsoft.graph.identityGovernance.${infer Name}` ? Name : never;
const lcwEnum = <Name extends EnumName>(name: Name): (typeof enums)[`microsoft.graph.identityGovernance.${Name}`]['members'] =>
  enums[`microsoft.graph.identityGovernance.${name}`].members;

/** Every member of each enum, in the description's order, for menus, validation and fixtures. */
export const lifecycleWorkflowProcessingStatusValues = lcwEnum('lifecycleWorkflowProcessingStatus');
export const lifecycleWorkflowCategoryValues = lcwEnum('lifecycleWorkflowCategory');
export const lifecycleTaskCategoryValues = lcwEnum('lifecycleTaskCategory');
export const workflowExecutionTypeValues = lcwEnum('workflowExecutionType');
export const customTaskExtensionOperationStatusValues = lcwEnum('customTaskExtensionOperationStatus');
export const valueTypeValues = lcwEnum('valueType');
