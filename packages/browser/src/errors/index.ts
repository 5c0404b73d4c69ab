export * from './error-codes.js';
export * from './auth-error.js';
