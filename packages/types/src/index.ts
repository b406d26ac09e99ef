/**
 * `@idgov/types`: the types of Microsoft Graph's Lifecycle Workflows API, generated from its
 * OpenAPI description, with friendly names and the runtime metadata the other packages read.
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

export type Workflow = Lcw<'workflow'>;
export type WorkflowBase = Lcw<'workflowBase'>;
export type WorkflowVersion = Lcw<'workflowVersion'>;
export type WorkflowTemplate = Lcw<'workflowTemplate'>;
export type WorkflowExecutionConditions = Lcw<'workflowExecutionConditions'>;
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

/** The stub of `microsoft.graph.user` the slice keeps: scalar properties only. */
export type User = Schemas['microsoft.graph.user'];
/** Graph's error body: `{ error: { code, message, innerError: { date, request-id, … } } }`. */
export type ODataError = Schemas['microsoft.graph.ODataErrors.ODataError'];

export type LifecycleWorkflowProcessingStatus = Lcw<'lifecycleWorkflowProcessingStatus'>;
export type LifecycleWorkflowCategory = Lcw<'lifecycleWorkflowCategory'>;
/** A flags enum: one member or several joined by commas (`"joiner,leaver"`). */
export type LifecycleTaskCategory = Lcw<'lifecycleTaskCategory'>;
export type WorkflowExecutionType = Lcw<'workflowExecutionType'>;
export type CustomTaskExtensionOperationStatus = Lcw<'customTaskExtensionOperationStatus'>;
export type ValueType = Lcw<'valueType'>;

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
