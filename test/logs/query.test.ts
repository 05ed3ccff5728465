/** What `shipper logs` reads for an environment, and what it says about lines that are elsewhere. */
import { describe, expect, it } from '@jest/globals';
import { loadServiceEnvironment } from '../../src/descriptor/load.js';
import { PreflightError } from '../../src/errors.js';
import { logSources } from '../../src/logs/query.js';
import { MINIMAL_DESCRIPTOR, tempService } from '../helpers/temp-service.js';

const SPLUNK = `${MINIMAL_DESCRIPTOR}sidecars:
  log-router:
    output: splunk
    splunk:
      host: hec.splunk.example.com
      token: { ssm: /svc/splunk-hec }
`;

const target = (descriptor: string) => loadServiceEnvironment({ file: tempService(descriptor).file, env: 'test' });

describe('logSources', () => {
  it('CloudWatch output: the app log group, every stream, nothing to say', () => {
    const { query, notes } = logSources(target(MINIMAL_DESCRIPTOR), {});
    expect(query).toEqual({ logGroupName: '/shipper/svc/test', stackName: 'svc-test', region: 'eu-west-1' });
    expect(notes).toEqual([]);
  });

  it('Splunk output: the boot logs only, and the reader is told where the rest is', () => {
    const { query, notes } = logSources(target(SPLUNK), {});
    expect(query.bootOnly).toBe(true);
    expect(notes).toEqual(["the containers' logs go to Splunk (hec.splunk.example.com); showing the boot logs from /shipper/svc/test only"]);
    expect(logSources(target(SPLUNK), { container: 'boot' }).query.bootOnly).toBe(true);
  });

  it('Splunk output and a container asked for: refused, pointing at Splunk and at the boot logs', () => {
    expect(() => logSources(target(SPLUNK), { container: 'app' })).toThrow(PreflightError);
    expect(() => logSources(target(SPLUNK), { container: 'app' })).toThrow("the app container's logs are not in CloudWatch Logs: they go to Splunk (hec.splunk.example.com)");
  });

  it('no log router: the boot logs only, and the reader is told the rest stays on the instances', () => {
    const { query, notes } = logSources(target(`${MINIMAL_DESCRIPTOR}sidecars:\n  log-router:\n    enabled: false\n`), {});
    expect(query.bootOnly).toBe(true);
    expect(notes).toEqual(["the containers' logs stay with Docker on each instance (the log router is disabled); showing the boot logs from /shipper/svc/test only"]);
  });

  it("the log router's own output is not in CloudWatch: said when it is asked for", () => {
    expect(logSources(target(MINIMAL_DESCRIPTOR), { container: 'log-router' }).notes).toEqual([
      'the log router cannot ship its own output: it stays with Docker on the instance (docker logs log-router)',
    ]);
  });
});
