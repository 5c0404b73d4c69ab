// Runs once before the e2e project. A missing or broken Chromium fails the whole run with a
// message saying how to install it; e2e tests are never skipped silently.
import { CHROMIUM_INSTALL_HINT, findChromium, launchChromium } from './chromium.js';

export default async function setup(): Promise<void> {
  const executablePath = findChromium();

  // Prove the browser really starts (a broken install fails here once, not in every test).
  try {
    const browser = await launchChromium({ executablePath });
    await browser.close();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Chromium at ${executablePath} did not start: ${reason}\n${CHROMIUM_INSTALL_HINT}`,
    );
  }
}
