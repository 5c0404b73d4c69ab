// oidc-client-ts's popup/iframe callback page: its UserManager settles the request by type.
import { pageEnv } from '../../e2e/harness/page-env.js';
import { userManager } from '../peers/oidc-client-ts.js';
import type { PeerEnv } from '../peers/types.js';

void userManager(pageEnv()['bench'] as PeerEnv).signinCallback();
