import { OpenReportsResponse, ReportIdParams, ResolveReportBody, ResolveReportResponse } from '../schemas/moderation.js';
import { ANY_ROUTE, AUTHED, defineRoute, VALIDATED, WITH_BODY } from './route.js';

/** A moderator's routes (docs/api.md, "Moderation"): anyone else is answered 403 `forbidden`. */
const MODERATOR = [...ANY_ROUTE, ...AUTHED, 'forbidden'] as const;

/** Chat reports as the moderators see and close them. */
export const MODERATION_ROUTES = {
  'moderation.reports': defineRoute({
    method: 'GET',
    path: '/moderation/reports',
    summary: 'The open chat reports, oldest first (moderators only)',
    tags: ['moderation'],
    auth: true,
    response: { status: 200, schema: OpenReportsResponse },
    errors: [...MODERATOR],
  }),
  'moderation.resolve': defineRoute({
    method: 'POST',
    path: '/moderation/reports/:id/resolve',
    summary: 'Close a chat report, with an optional note (moderators only)',
    tags: ['moderation'],
    auth: true,
    params: ReportIdParams,
    body: ResolveReportBody,
    response: { status: 200, schema: ResolveReportResponse },
    errors: [...MODERATOR, ...WITH_BODY, ...VALIDATED, 'not_found'],
  }),
} as const;
