import type { OperationMetadata } from '@idgov/types';

/** Reads need one of these; writes the second. */
export const READ_SCOPES = ['LifecycleWorkflows.Read.All', 'LifecycleWorkflows.ReadWrite.All'] as const;
export const WRITE_SCOPE = 'LifecycleWorkflows.ReadWrite.All';
/** The least-privileged permission the docs name for the reporting APIs. */
export const REPORTS_SCOPE = 'LifecycleWorkflows-Reports.Read.All';

/** Path segments of the reporting APIs: runs, results, task reports and insights. */
const REPORT_SEGMENTS = new Set(['runs', 'userProcessingResults', 'taskProcessingResults', 'taskReports', 'insights']);

/**
 * The permissions that allow an operation, least privileged first: a read of the reporting APIs
 * also takes `LifecycleWorkflows-Reports.Read.All`.
 * @see https://learn.microsoft.com/graph/permissions-reference#lifecycleworkflows-reportsreadall
 */
export function allowedScopes(operation: OperationMetadata): readonly string[] {
  if (operation.method !== 'get') return [WRITE_SCOPE];
  return operation.path.split('/').some((s) => REPORT_SEGMENTS.has(s)) ? [REPORTS_SCOPE, ...READ_SCOPES] : READ_SCOPES;
}

/** Graph's challenge on a 401, naming the authority and the Microsoft Graph application. */
export const WWW_AUTHENTICATE = 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';
