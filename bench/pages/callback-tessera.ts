// Tessera's popup/iframe callback page: only the small callback entry, not the library.
import { completeAuthorizationCallback } from '@tessera/browser/callback';

completeAuthorizationCallback();
