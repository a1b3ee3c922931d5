import { ApiError } from '../http/errors.js';

/** A token issued before its player signed out (401, on every route and replica). */
export const signedOut = () => new ApiError('unauthorized', 'this token was signed out');
