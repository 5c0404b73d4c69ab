import { describe, expect, it } from 'vitest';
import { DefaultNavigationClient } from '../../src/interaction/redirect-navigator.js';
import { FakeWindow } from './fakes.js';

describe('DefaultNavigationClient', () => {
  it('assigns, or replaces with noHistory, for internal and external navigation', async () => {
    const win = new FakeWindow('https://app.example/');
    const nav = new DefaultNavigationClient(win.asWindow());
    expect(await nav.navigateExternal('https://idp.example/a', { noHistory: false })).toBe(true);
    expect(await nav.navigateInternal('https://app.example/b', { noHistory: false })).toBe(true);
    expect(await nav.navigateInternal('https://app.example/c', { noHistory: true })).toBe(true);
    expect(await nav.navigateExternal('https://idp.example/d', { noHistory: true })).toBe(true);
    expect(win.assigned).toEqual(['https://idp.example/a', 'https://app.example/b']);
    expect(win.replaced).toEqual(['https://app.example/c', 'https://idp.example/d']);
  });
});
