export { createProtocolClient } from './protocol-client.js';
export type * from './types.js';
