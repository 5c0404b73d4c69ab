import { createLockManager } from '../coordination/lock-manager.js';
import { createSpentTokenRegistry, type SpentTokenRegistry } from '../coordination/spent-tokens.js';
import type { LockManager } from '../coordination/types.js';
import type { FlowContext } from './context.js';

const perContext = new WeakMap<
  Pick<FlowContext, 'ports'>,
  { locks: LockManager; spent: SpentTokenRegistry }
>();

/**
 * The renewal locks and the spent-refresh-token registry of an application instance, made on
 * first use by the flows that need them (renewal and sign-out), so the entry carries neither.
 */
export function coordinationOf(ctx: Pick<FlowContext, 'ports'>): {
  locks: LockManager;
  spent: SpentTokenRegistry;
} {
  let c = perContext.get(ctx);
  if (c === undefined) {
    const win = ctx.ports.window;
    c = { locks: createLockManager(win), spent: createSpentTokenRegistry(win, ctx.ports) };
    perContext.set(ctx, c);
  }
  return c;
}
