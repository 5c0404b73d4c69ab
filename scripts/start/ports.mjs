// Port checks: find a busy port before anything starts, and name the flag that moves it.
import { createServer } from 'node:net';

/** Thrown when a port cannot be bound; `line` is the whole message for stderr. */
export class BusyPortError extends Error {
  constructor(line) {
    super(line);
    this.line = line;
  }
}

/** The one-line message for a port that cannot be bound. */
export function busyLine({ service, port, host, flag, envName, code }) {
  const why =
    code === 'EACCES'
      ? 'needs privileges'
      : code === 'EADDRNOTAVAIL'
        ? 'is not available'
        : 'is already in use';
  return `Port ${port} on ${host} ${why} (${service}): choose another with ${flag} <port> (or ${envName}=<port>), e.g. npm start -- ${flag} ${port === 0 ? 0 : Math.min(65535, port + 100)}`;
}

/** Resolves when host:port can be bound; rejects with the listen error (code EADDRINUSE, ...). */
export function probePort(host, port) {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** A listen error's code, also from the dev IdP's DevIdpConfigError (field "port"). */
export function listenErrorCode(error) {
  if (error && typeof error === 'object') {
    if (typeof error.code === 'string') return error.code;
    if (error.name === 'DevIdpConfigError' && error.field === 'port') {
      return /privileges/.test(error.message) ? 'EACCES' : 'EADDRINUSE';
    }
    if (error.name === 'DevIdpConfigError' && error.field === 'host') return 'EADDRNOTAVAIL';
  }
  return undefined;
}

/** `http://host:port` with IPv6 brackets. */
export function originOf(host, port) {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
