/**
 * The app container, and only it, is kept away from the instance metadata service (and so from
 * the instance role's credentials): a firewall rule for its fixed address, in place before it
 * starts; the sidecars that need the role keep it.
 */
import { describe, it, expect } from '@jest/globals';
import { bootWith, isCall } from './boot-run.js';
import { optionOf, type Call } from './sandbox.js';

const APP_ADDRESS = '192.168.231.10';
const runOf = (calls: Call[], name: string) => calls.find((c) => isCall('docker', 'run')(c) && optionOf(c, '--name') === name)!;

describe('instance metadata service: blocked for the app only', () => {
  it('installs the rule for the app address before the app starts, and the app gets that address', () => {
    const run = bootWith();
    expect(run.status).toBe(0);
    const rules = run.calls.filter((c) => c[0] === 'iptables');
    expect(rules).toEqual([['iptables', '-I', 'DOCKER-USER', '1', '-s', `${APP_ADDRESS}/32`, '-d', '169.254.169.254/32', '-j', 'REJECT']]);
    const app = runOf(run.calls, 'app');
    expect(optionOf(app, '--ip')).toBe(APP_ADDRESS);
    expect(run.calls.indexOf(rules[0])).toBeLessThan(run.calls.indexOf(app));
    expect(run.calls.indexOf(rules[0])).toBeLessThan(run.calls.indexOf(runOf(run.calls, 'log-router')));
  });

  it('keeps the rule across a reboot: docker.service puts it back before dockerd restarts the app', () => {
    const run = bootWith();
    expect(run.status).toBe(0);
    const dropIn = run.writtenFiles()['/etc/systemd/system/docker.service.d/shipper-imds-guard.conf'];
    const rule = `-s ${APP_ADDRESS}/32 -d 169.254.169.254/32 -j REJECT`;
    expect(dropIn).toBe(
      `[Service]\nExecStartPre=/bin/sh -c 'iptables -N DOCKER-USER 2>/dev/null; iptables -C DOCKER-USER ${rule} 2>/dev/null || iptables -I DOCKER-USER 1 ${rule}'\n`,
    );
  });

  it('applies to the app only: no other container has that address, and other addresses come from elsewhere', () => {
    const run = bootWith();
    const network = run.calls.find(isCall('docker', 'network', 'create'))!;
    expect(optionOf(network, '--subnet')).toBe('192.168.231.0/24');
    // Docker hands out the other containers' addresses from .128-.255 only, never the app's .10
    expect(optionOf(network, '--ip-range')).toBe('192.168.231.128/25');
    for (const name of ['log-router', 'reverse-proxy', 'metrics-collector']) {
      const call = runOf(run.calls, name);
      expect(call).not.toContain('--ip');
      expect(optionOf(call, '--network')).toBe('shipper');
    }
    expect(run.calls.filter((c) => c[0] === 'iptables').every((c) => optionOf(c, '-s') === `${APP_ADDRESS}/32`)).toBe(true);
  });

  it('fails the boot, naming the step, when the rule cannot be installed, and starts nothing', () => {
    const run = bootWith({ iptablesFails: true });
    expect(run.signals).toHaveLength(1);
    expect(optionOf(run.signals[0], '-e')).toBe('1');
    expect(optionOf(run.signals[0], '--reason')).toBe('imds-guard: cannot block the app from the instance metadata service');
    expect(run.calls.some(isCall('docker', 'run'))).toBe(false);
  });
});
