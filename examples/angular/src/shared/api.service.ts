// The seed's `ProductService`: plain HttpClient calls; the interceptor adds the token.
import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { EventLog, summarize } from './event-log';
import { API_URL } from './tokens';

/** Calls the protected API (`/profile`) and an unprotected endpoint (`/health`). */
@Injectable()
export class ProductService {
  readonly #http = inject(HttpClient);
  readonly #log = inject(EventLog);
  readonly #api = inject(API_URL);

  /** Protected: the interceptor attaches `Authorization: Bearer`. */
  profile(): void {
    this.#call('/profile');
  }

  /** Not in `protectedResourceMap`: sent without any token. */
  health(): void {
    this.#call('/health');
  }

  #call(path: string): void {
    this.#http.get(`${this.#api}${path}`).subscribe({
      next: (body) => this.#log.add('api', `GET ${path}`, `ok ${JSON.stringify(body)}`),
      error: (error: unknown) => this.#log.add('api', `GET ${path}`, `error ${summarize(error)}`),
    });
  }
}
