import { requiredUnderCi } from '@monkeytown/test-support';

/** TEST_REDIS_URL, or undefined locally (the caller skips); a missing one fails under CI=true. */
export const testRedisUrl = (): string | undefined => requiredUnderCi('TEST_REDIS_URL', 'the tests against real Redis');

/** A key prefix of its own per test, so tests sharing one Redis never see each other's keys. */
export const uniquePrefix = (name: string) => `mt-test:${name}:${Math.random().toString(36).slice(2, 10)}:`;
