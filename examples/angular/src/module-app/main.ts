// NgModule style. The module reads config.json values when it is evaluated
// (`MsalModule.forRoot({...})` runs at import), so it is imported after the config is loaded.
import { platformBrowser } from '@angular/platform-browser';
import { isAuthorizationCallback, markReady, showStartupError } from '../shared/callback';
import { loadExampleConfig, setExampleConfig } from '../shared/runtime-config';

if (!isAuthorizationCallback()) {
  loadExampleConfig()
    .then(async (config) => {
      setExampleConfig(config);
      const { AppModule } = await import('./app.module');
      await platformBrowser().bootstrapModule(AppModule);
      markReady();
    })
    .catch(showStartupError);
}
