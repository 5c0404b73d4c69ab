// The popup/iframe callback page: the tiny entry, not the library.
import { completeAuthorizationCallback } from '../../../packages/browser/src/callback.js';

completeAuthorizationCallback();
