// The web server's own error answers, in the API's contract: {error:{code,message}} with
// the status of the shared table (packages/shared ERROR_STATUS), never an HTML page or a
// bare status for an /api request or a URL that cannot be decoded.
import { errorBody, errorStatus, type ErrorCode } from '@monkeytown/shared/schemas';

export function errorResponse(code: ErrorCode, message: string, headers?: Record<string, string>): Response {
  return Response.json(errorBody(code, message), { status: errorStatus(code), headers: { 'cache-control': 'no-store', ...headers } });
}

/** Methods the /api proxy forwards; the game server answers 405 itself for the rest of its paths. */
export const API_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
/** Methods a page answers (POST: Next's own form/action posts). */
export const PAGE_METHODS = ['GET', 'HEAD', 'POST'] as const;

/** Every segment of a raw (still percent-encoded) path decodes: no stray "%", no broken UTF-8. */
export function decodablePath(rawPath: string): boolean {
  try {
    for (const seg of rawPath.split('/')) decodeURIComponent(seg);
    return true;
  } catch {
    return false;
  }
}

/**
 * What the web server must answer itself before Next routes a request (Next's router
 * answers these with a plain-text 500, an empty 400 or an HTML 404), or null to go on.
 */
export function frameworkError(method: string, rawPath: string): Response | null {
  if (!decodablePath(rawPath)) return errorResponse('bad_request', 'malformed URL: invalid percent-encoding');
  const api = rawPath === '/api' || rawPath.startsWith('/api/');
  const allowed: readonly string[] = api ? API_METHODS : PAGE_METHODS;
  if (!allowed.includes(method)) {
    return errorResponse('method_not_allowed', `${method} is not allowed here`, { allow: allowed.join(', ') });
  }
  // /api itself is not an endpoint (the proxy route needs at least one segment).
  if (api && /^\/api\/*$/.test(rawPath)) return errorResponse('not_found', `no route ${method} ${rawPath}`);
  return null;
}
