// The harness self-test page: proves the bundle runs and lets the test call the recording API.
import { pageEnv } from '../../harness/page-env.js';
import { greeting } from './greeting.js';

export interface ApiCallResult {
  status: number;
  wwwAuthenticate: string | null;
  body: unknown;
}

declare global {
  interface Window {
    __callApi(path: string, token: string): Promise<ApiCallResult>;
  }
}

const out = document.getElementById('out');
if (out !== null) out.textContent = `bundled: ${greeting('TypeScript')} at ${pageEnv().appUrl}`;

window.__callApi = async (path, token) => {
  const apiUrl = pageEnv().apiUrl;
  if (apiUrl === undefined) throw new Error('no apiUrl in pageEnv');
  const response = await fetch(new URL(path, apiUrl), {
    headers: { Authorization: `Bearer ${token}` },
  });
  return {
    status: response.status,
    wwwAuthenticate: response.headers.get('WWW-Authenticate'),
    body: await response.json(),
  };
};
