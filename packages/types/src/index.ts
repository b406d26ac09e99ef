/**
 * `@idgov/types`: the types of Microsoft Graph's Lifecycle Workflows API, generated from Graph's
 * CSDL (`$metadata`), with friendly names and the runtime metadata the other packages read.
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
  ActivateGroupScope,
  ActivateProcessingResultScope,
  ActivateRunScope,
  ActivateUserScope,
  /** What `activateWithScope` runs a workflow on: a union on `@odata.type`. */
  ActivationScope,
  ActivationTaskScopeType,
  ActivationUserScopeType,
  Application,
  AttributeChangeTrigger,
  AzureAdTokenAuthentication,
  CancelRunsScope,
  /** What `cancelProcessing` cancels: a union on `@odata.type`. */
  CancelScope,
  CountBasedQuarantineCondition,
  CustomCalloutExtension,
  /** How a custom task extension authenticates to its Logic App: a union on `@odata.type`. */
  CustomExtensionAuthenticationConfiguration,
  CustomExtensionCallbackConfiguration,
  CustomExtensionClientConfiguration,
  /** Which Logic App a custom task extension calls: a union on `@odata.type`. */
  CustomExtensionEndpointConfiguration,
  CustomTaskExtension,
  CustomTaskExtensionCallbackConfiguration,
  /** The body of a custom task extension's callback (`resume`). */
  CustomTaskExtensionCallbackData,
  CustomTaskExtensionOperationStatus,
  /** The stub of `microsoft.graph.directoryObject` (scalar properties only). */
  DirectoryObject,
  EmailSettings,
  Entity,
  ErrorDetails,
  /** The stub of `microsoft.graph.group` (scalar properties only). */
  Group,
  GroupBasedSubjectSet,
  InnerError,
  Insights,
  KeyValuePair,
  LifecycleManagementSettings,
  /** A flags enum: one member or several joined by commas (`"joiner,leaver"`). */
  LifecycleTaskCategory,
  LifecycleWorkflowCategory,
  LifecycleWorkflowProcessingStatus,
  LogicAppTriggerEndpointConfiguration,
  MainError,
  MatchMode,
  MembershipChangeTrigger,
  MembershipChangeType,
  ODataCountResponse,
  /** Graph's error body: `{ error: { code, message, innerError: { date, request-id, … } } }`. */
  ODataError,
  /** Runs only when activated on demand. */
  OnDemandExecutionOnly,
  Parameter,
  PercentageBasedQuarantineCondition,
  PreviewFailedTask,
  /** When a workflow is quarantined: a union on `@odata.type`. */
  QuarantineCondition,
  QuarantineConfiguration,
  QuarantineDetails,
  QuarantineType,
  RuleBasedSubjectSet,
  Run,
  RunSummary,
  /** Who a workflow runs for: the subject sets Lifecycle Workflows accepts. */
  SubjectSet,
  Task,
  TaskDefinition,
  TaskProcessingResult,
  TaskReport,
  TaskReportSummary,
  TimeBasedAttributeTrigger,
  TopTasksInsightsSummary,
  TopWorkflowsInsightsSummary,
  /** Runs for the users in `scope` when `trigger` fires. */
  TriggerAndScopeBasedConditions,
  TriggerAttribute,
  /** The stub of `microsoft.graph.user` the slice keeps: scalar properties only. */
  User,
  UserInactivityTrigger,
  UserProcessingResult,
  UserSummary,
  ValueType,
  Workflow,
  WorkflowBase,
  /** When a workflow runs: a union on `@odata.type` of the two kinds below. */
  WorkflowExecutionConditions,
  /** What fires a workflow: a union on `@odata.type` of the four triggers below. */
  WorkflowExecutionTrigger,
  WorkflowExecutionType,
  WorkflowSetting,
  WorkflowsInsightsByCategory,
  WorkflowsInsightsSummary,
  WorkflowTemplate,
  WorkflowTriggerTimeBasedAttribute,
  WorkflowVersion,
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
export const workflowTriggerTimeBasedAttributeValues = lcwEnum('workflowTriggerTimeBasedAttribute');
export const membershipChangeTypeValues = lcwEnum('membershipChangeType');
export const activationTaskScopeTypeValues = lcwEnum('activationTaskScopeType');
export const activationUserScopeTypeValues = lcwEnum('activationUserScopeType');
export const matchModeValues = lcwEnum('matchMode');
export const quarantineTypeValues = lcwEnum('quarantineType');
