// A small consumer whose exported values have inferred types: their declaration file is what an
// editor shows on hover, and what a library built on @idgov/client publishes.
import { createClient, lifecycleWorkflows } from '@idgov/client';

const lcw = lifecycleWorkflows(createClient({ token: 't' }));
export const failed = lcw.workflows('w').runs('r').userProcessingResults.list({
  select: ['id', 'processingStatus', 'completedDateTime'],
  expand: { subject: { select: ['displayName'] } },
});
export const workflow = lcw.workflows('w').get({ select: ['id', 'displayName', 'category'] });
export const everything = lcw.workflows('w').runs('r').get();
export const summary = lcw.workflows('w').runs.summary({ startDateTime: '2024-05-01T00:00:00Z', endDateTime: '2024-05-08T00:00:00Z' });
