/**
 * `@idgov/types`: the types of Microsoft Graph's Lifecycle Workflows API, generated from Graph's
 * CSDL (`$metadata`), with friendly names and the runtime metadata the other packages read.
 */
import type { components } from './generated/openapi.js';
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

type Schemas = components['schemas'];
type Lcw<Name extends string> = Schemas[`microsoft.graph.identityGovernance.${Name}` & keyof Schemas];
type Graph<Name extends string> = Schemas[`microsoft.graph.${Name}` & keyof Schemas];

export type Workflow = Lcw<'workflow'>;
export type WorkflowBase = Lcw<'workflowBase'>;
export type WorkflowVersion = Lcw<'workflowVersion'>;
export type WorkflowTemplate = Lcw<'workflowTemplate'>;
/** When a workflow runs: a union on `@odata.type` of the two kinds below. */
export type WorkflowExecutionConditions = Lcw<'workflowExecutionConditions'>;
/** Runs for the users in `scope` when `trigger` fires. */
export type TriggerAndScopeBasedConditions = Lcw<'triggerAndScopeBasedConditions'>;
/** Runs only when activated on demand. */
export type OnDemandExecutionOnly = Lcw<'onDemandExecutionOnly'>;
/** What fires a workflow: a union on `@odata.type` of the four triggers below. */
export type WorkflowExecutionTrigger = Lcw<'workflowExecutionTrigger'>;
export type TimeBasedAttributeTrigger = Lcw<'timeBasedAttributeTrigger'>;
export type AttributeChangeTrigger = Lcw<'attributeChangeTrigger'>;
export type MembershipChangeTrigger = Lcw<'membershipChangeTrigger'>;
export type UserInactivityTrigger = Lcw<'userInactivityTrigger'>;
export type TriggerAttribute = Lcw<'triggerAttribute'>;
/** Who a workflow runs for: the subject sets Lifecycle Workflows accepts. */
export type SubjectSet = Graph<'subjectSet'>;
export type RuleBasedSubjectSet = Lcw<'ruleBasedSubjectSet'>;
export type GroupBasedSubjectSet = Lcw<'groupBasedSubjectSet'>;
/** What `activateWithScope` runs a workflow on: a union on `@odata.type`. */
export type ActivationScope = Lcw<'activationScope'>;
export type ActivateGroupScope = Lcw<'activateGroupScope'>;
export type ActivateProcessingResultScope = Lcw<'activateProcessingResultScope'>;
export type ActivateRunScope = Lcw<'activateRunScope'>;
export type ActivateUserScope = Lcw<'activateUserScope'>;
/** What `cancelProcessing` cancels: a union on `@odata.type`. */
export type CancelScope = Lcw<'cancelScope'>;
export type CancelRunsScope = Lcw<'cancelRunsScope'>;
export type WorkflowSetting = Lcw<'workflowSetting'>;
export type QuarantineConfiguration = Lcw<'quarantineConfiguration'>;
/** When a workflow is quarantined: a union on `@odata.type`. */
export type QuarantineCondition = Lcw<'quarantineCondition'>;
export type CountBasedQuarantineCondition = Lcw<'countBasedQuarantineCondition'>;
export type PercentageBasedQuarantineCondition = Lcw<'percentageBasedQuarantineCondition'>;
export type QuarantineDetails = Lcw<'quarantineDetails'>;
export type PreviewFailedTask = Lcw<'previewFailedTask'>;
export type Run = Lcw<'run'>;
export type UserProcessingResult = Lcw<'userProcessingResult'>;
export type TaskProcessingResult = Lcw<'taskProcessingResult'>;
export type Task = Lcw<'task'>;
export type TaskReport = Lcw<'taskReport'>;
export type TaskDefinition = Lcw<'taskDefinition'>;
export type CustomTaskExtension = Lcw<'customTaskExtension'>;
export type LifecycleManagementSettings = Lcw<'lifecycleManagementSettings'>;
export type Insights = Lcw<'insights'>;
export type RunSummary = Lcw<'runSummary'>;
export type UserSummary = Lcw<'userSummary'>;
export type TaskReportSummary = Lcw<'taskReportSummary'>;
export type Parameter = Lcw<'parameter'>;
/** The body of a custom task extension's callback (`resume`). */
export type CustomTaskExtensionCallbackData = Lcw<'customTaskExtensionCallbackData'>;
export type CustomTaskExtensionCallbackConfiguration = Lcw<'customTaskExtensionCallbackConfiguration'>;
/** How a custom task extension authenticates to its Logic App: a union on `@odata.type`. */
export type CustomExtensionAuthenticationConfiguration = Graph<'customExtensionAuthenticationConfiguration'>;
export type AzureAdTokenAuthentication = Graph<'azureAdTokenAuthentication'>;
/** Which Logic App a custom task extension calls: a union on `@odata.type`. */
export type CustomExtensionEndpointConfiguration = Graph<'customExtensionEndpointConfiguration'>;
export type LogicAppTriggerEndpointConfiguration = Graph<'logicAppTriggerEndpointConfiguration'>;

/** The stub of `microsoft.graph.user` the slice keeps: scalar properties only. */
export type User = Schemas['microsoft.graph.user'];
/** The stub of `microsoft.graph.group` (scalar properties only). */
export type Group = Schemas['microsoft.graph.group'];
/** The stub of `microsoft.graph.directoryObject` (scalar properties only). */
export type DirectoryObject = Schemas['microsoft.graph.directoryObject'];
/** Graph's error body: `{ error: { code, message, innerError: { date, request-id, … } } }`. */
export type ODataError = Schemas['microsoft.graph.ODataErrors.ODataError'];

export type LifecycleWorkflowProcessingStatus = Lcw<'lifecycleWorkflowProcessingStatus'>;
export type LifecycleWorkflowCategory = Lcw<'lifecycleWorkflowCategory'>;
/** A flags enum: one member or several joined by commas (`"joiner,leaver"`). */
export type LifecycleTaskCategory = Lcw<'lifecycleTaskCategory'>;
export type WorkflowExecutionType = Lcw<'workflowExecutionType'>;
export type CustomTaskExtensionOperationStatus = Lcw<'customTaskExtensionOperationStatus'>;
export type ValueType = Lcw<'valueType'>;
export type WorkflowTriggerTimeBasedAttribute = Lcw<'workflowTriggerTimeBasedAttribute'>;
export type MembershipChangeType = Lcw<'membershipChangeType'>;
export type ActivationTaskScopeType = Lcw<'activationTaskScopeType'>;
export type ActivationUserScopeType = Lcw<'activationUserScopeType'>;
export type MatchMode = Lcw<'matchMode'>;
export type QuarantineType = Lcw<'quarantineType'>;

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
