/**
 * `@idgov/client`: a typed, small client for Microsoft Graph Lifecycle Workflows — openapi-fetch
 * over the generated paths, with auth, national clouds, retries, paging, errors and `$batch`.
 */
export type { AccessToken, TokenCredential, TokenSource } from './auth.js';
export type { Cloud, GraphVersion } from './clouds.js';
export { clouds } from './clouds.js';
export type { BatchRequest, BatchResponse } from './batch.js';
export { batch, batchRequest } from './batch.js';
export type { ClientOptions, GraphClient, ItemOf, PageablePath, PaginateInit } from './client.js';
export { createClient } from './client.js';
export type { GraphInnerError, PagingErrorReason } from './errors.js';
export { GraphError, isGraphError, PagingError, unwrap } from './errors.js';
export type { LifecycleWorkflows, RunRef, RunResultsPage } from './lifecycle-workflows.js';
export { lifecycleWorkflows } from './lifecycle-workflows.js';
export type { BodyOp, CallOptions, CollectionPage, CollectionQuery, CountOp, CountQuery, FunctionOp, GetOp, GetQuery, ListOp, ListQuery, NoArgOp } from './resource-tree.js';
export type { Page, PageLimits, Paginator } from './paginate.js';
export type { ODataInput, ODataParams } from './query.js';
export { odataParams } from './query.js';
export type { RetryEvent, RetryOptions } from './retry.js';
export type { Narrowed, Selected, Shaped } from './select.js';
export type { ClientLimits, FetchLike } from './transport.js';
