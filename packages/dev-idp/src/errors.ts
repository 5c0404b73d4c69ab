/**
 * Bad configuration or an unusable listen address. The message is one line: the option at fault,
 * what is wrong with it and how to fix it.
 */
export class DevIdpConfigError extends Error {
  override readonly name = 'DevIdpConfigError';
  /** The option at fault as a path into `DevIdpOptions`, e.g. `port` or `clients[0].redirectUris[1]`. */
  readonly field: string;
  /** What is wrong, without the option name. */
  readonly problem: string;
  /** How to fix it. */
  readonly fix: string;

  /** @param field - option path; @param problem - what is wrong; @param fix - what to do instead */
  constructor(field: string, problem: string, fix: string) {
    super(`${field}: ${problem}; ${fix}`);
    this.field = field;
    this.problem = problem;
    this.fix = fix;
  }
}
