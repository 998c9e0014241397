import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canRun, programsUnavailable } from './service.ts';

/** A throwaway CA and one server certificate it signed, for the names given. */
export interface TestCertificates {
  caFile: string;
  certFile: string;
  keyFile: string;
  remove(): void;
}

/** Null when openssl can be run, else the skip reason (a failure under CI=true). */
export function opensslUnavailable(): string | null {
  return programsUnavailable([canRun('openssl', ['version'])], 'no test certificates can be made', 'Install openssl to run the TLS tests.');
}

/**
 * Made with openssl (P-256 keys, a day's validity) in a temporary directory. `names` are the
 * certificate's subjectAltName entries (`DNS:localhost`, `IP:127.0.0.1`).
 */
export function makeTestCertificates(names: string[] = ['DNS:localhost', 'IP:127.0.0.1']): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'strata-tls-'));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...key, '-keyout', file('ca.key'), '-out', file('ca.crt'), '-subj', '/CN=strata-test-ca', '-days', '1');
  openssl('req', ...key, '-keyout', file('node.key'), '-out', file('node.csr'), '-subj', '/CN=localhost');
  writeFileSync(file('san.cnf'), `subjectAltName=${names.join(',')}\n`);
  openssl('x509', '-req', '-in', file('node.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('node.crt'), '-days', '1', '-extfile', file('san.cnf'));
  return { caFile: file('ca.crt'), certFile: file('node.crt'), keyFile: file('node.key'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
