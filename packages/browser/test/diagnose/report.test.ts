import { describe, expect, it } from 'vitest';
import { createReport, formatDiagnosis, hasErrors } from '../../src/diagnose/report.js';

describe('diagnosis report', () => {
  it('formats one line per finding with its fix, notes, passed checks and a count', () => {
    const report = createReport();
    report.pass('discovery');
    report.pass('discovery');
    report.add('issuer_mismatch', 'error', 'A is not B.', 'Set A to B.');
    report.add('pkce_methods_unlisted', 'warning', 'Unlisted.', 'Check.');
    report.diagnosis.notes.push({ id: 'authorization_coop', message: 'COOP.' });
    expect(formatDiagnosis(report.diagnosis)).toBe(
      [
        'ERROR   issuer_mismatch: A is not B. Fix: Set A to B.',
        'WARNING pkce_methods_unlisted: Unlisted. Fix: Check.',
        'NOTE    authorization_coop: COOP.',
        'ok      discovery',
        '1 error, 1 warning.',
        '',
      ].join('\n'),
    );
    expect(hasErrors(report.diagnosis)).toBe(true);
  });

  it('says so when there is nothing to fix; warnings alone are not errors', () => {
    const report = createReport();
    expect(formatDiagnosis(report.diagnosis)).toBe('Nothing to fix.\n');
    report.add('pkce_methods_unlisted', 'warning', 'm', 'f');
    expect(hasErrors(report.diagnosis)).toBe(false);
  });
});
