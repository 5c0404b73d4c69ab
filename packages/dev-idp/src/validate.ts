// Small checks shared by the option resolvers. Each failure is a DevIdpConfigError naming the
// option, what is wrong and the fix.
import { DevIdpConfigError } from './errors.js';

/** An options object as parsed from JSON or passed in. */
export type Obj = Record<string, unknown>;

/** True for a plain object (not null, not an array). */
export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Throws the DevIdpConfigError for `field`. */
export function fail(field: string, problem: string, fix: string): never {
  throw new DevIdpConfigError(field, problem, fix);
}

/** A value as an error message shows it. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (value === undefined) return 'undefined';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Refuses keys of `value` not in `allowed` (`field` is the object's path). */
export function checkKeys(value: Obj, field: string, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      const where = field === '' ? key : `${field}.${key}`;
      fail(where, 'unknown option', `use one of ${allowed.join(', ')}`);
    }
  }
}

/** A non-empty string. */
export function text(value: unknown, field: string, example: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    fail(field, `must be a non-empty string, got ${describe(value)}`, `e.g. ${example}`);
  }
  return value;
}

/** A boolean. */
export function bool(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') {
    fail(field, `must be true or false, got ${describe(value)}`, 'pass a boolean');
  }
  return value;
}

/** An array (its entries are checked by the caller). */
export function list(value: unknown, field: string, example: string): unknown[] {
  if (!Array.isArray(value)) {
    fail(field, `must be an array, got ${describe(value)}`, `e.g. ${example}`);
  }
  return value;
}

/** A whole number of seconds, at least 1. */
export function seconds(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    fail(field, `must be a whole number of seconds >= 1, got ${describe(value)}`, 'e.g. 3600');
  }
  return value;
}
