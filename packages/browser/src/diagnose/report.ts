import type { CheckId, Diagnosis, Finding, FindingId, FindingSeverity } from './types.js';

/** A diagnosis being collected: checks add findings or mark themselves passed. */
export interface ReportBuilder {
  readonly diagnosis: Diagnosis;
  add(id: FindingId, severity: FindingSeverity, message: string, fix: string): void;
  pass(check: CheckId): void;
  /** Adds another part's findings and passed checks. */
  merge(part: Pick<Diagnosis, 'findings' | 'passed'>): void;
  /** The findings and passed checks, for a check that is part of a diagnosis. */
  part(): Pick<Diagnosis, 'findings' | 'passed'>;
}

export function createReport(): ReportBuilder {
  const diagnosis: Diagnosis = { findings: [], passed: [], notes: [] };
  return {
    diagnosis,
    add(id, severity, message, fix) {
      diagnosis.findings.push({ id, severity, message, fix });
    },
    pass(check) {
      if (!diagnosis.passed.includes(check)) diagnosis.passed.push(check);
    },
    merge(part) {
      diagnosis.findings.push(...part.findings);
      for (const check of part.passed) this.pass(check);
    },
    part() {
      return { findings: diagnosis.findings, passed: diagnosis.passed };
    },
  };
}

/**
 * Whether the diagnosis already has this finding (an unknown client also fails the redirect
 * check, which then says so instead of blaming the redirect URI).
 */
export function hasFinding(diagnosis: Pick<Diagnosis, 'findings'>, id: FindingId): boolean {
  return diagnosis.findings.some((finding) => finding.id === id);
}

/** True when a finding is an error (the CLI exits 1). */
export function hasErrors(diagnosis: Pick<Diagnosis, 'findings'>): boolean {
  return diagnosis.findings.some((finding: Finding) => finding.severity === 'error');
}

/**
 * The diagnosis as text: one line per finding with its fix, then the notes, the passed checks
 * and a count. What `npx tessera-doctor` prints.
 */
export function formatDiagnosis(diagnosis: Diagnosis): string {
  const lines: string[] = [];
  for (const { id, severity, message, fix } of diagnosis.findings) {
    lines.push(`${severity === 'error' ? 'ERROR  ' : 'WARNING'} ${id}: ${message} Fix: ${fix}`);
  }
  for (const { id, message } of diagnosis.notes) lines.push(`NOTE    ${id}: ${message}`);
  if (diagnosis.passed.length > 0) lines.push(`ok      ${diagnosis.passed.join(', ')}`);
  const errors = diagnosis.findings.filter((f) => f.severity === 'error').length;
  const warnings = diagnosis.findings.length - errors;
  lines.push(
    errors + warnings === 0
      ? 'Nothing to fix.'
      : `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}.`,
  );
  return `${lines.join('\n')}\n`;
}
