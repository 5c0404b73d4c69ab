// Standalone style: provideMsal + the functional interceptor, a route behind msalGuard.
import { bootstrapApplication } from '@angular/platform-browser';
import { isAuthorizationCallback, markReady, showStartupError } from '../shared/callback';
import { loadExampleConfig } from '../shared/runtime-config';
import { AppComponent } from './app.component';
import { appConfig } from './app.config';

if (!isAuthorizationCallback()) {
  loadExampleConfig()
    .then((config) => bootstrapApplication(AppComponent, appConfig(config)))
    .then(markReady)
    .catch(showStartupError);
}
