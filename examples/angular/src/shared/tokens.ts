import { InjectionToken } from '@angular/core';

/** Origin of the protected API, from `config.json`. */
export const API_URL = new InjectionToken<string>('API_URL');
