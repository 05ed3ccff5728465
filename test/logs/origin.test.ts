/** Which instance and container a log event came from, as the log router and boot script name them. */
import { describe, expect, it } from '@jest/globals';
import { eventOrigin } from '../../src/logs/origin.js';

const STACK = 'hello-test';
const record = (fields: Record<string, unknown>) => JSON.stringify({ container_id: 'c0ffee', source: 'stdout', ...fields });

describe('eventOrigin', () => {
  it('a routed line: container from the stream, instance and message from the Fluent Bit record', () => {
    expect(eventOrigin(`${STACK}/container.app`, record({ container_name: '/app', log: 'GET / 200\n', ec2_instance_id: 'i-0123456789abcdef0' }), STACK)).toEqual({
      instance: 'i-0123456789abcdef0',
      container: 'app',
      message: 'GET / 200',
    });
  });

  it('a boot line: instance from the stream, the message as written', () => {
    expect(eventOrigin('boot/i-0123456789abcdef0', '[shipper-boot] pulling', STACK)).toEqual({ instance: 'i-0123456789abcdef0', container: 'boot', message: '[shipper-boot] pulling' });
  });

  it('a record without the aws filter\'s instance id still shows, without an instance', () => {
    expect(eventOrigin(`${STACK}/container.reverse-proxy`, record({ log: 'started' }), STACK)).toEqual({ container: 'reverse-proxy', message: 'started' });
  });

  it('a stream shipper did not name: the record\'s container, else the stream name; text that is not a record is kept as it is', () => {
    expect(eventOrigin('other-stack/container.app', record({ container_name: '/app', log: 'x' }), STACK).container).toBe('app');
    expect(eventOrigin('hand-made', '{"not": "a record"}', STACK)).toEqual({ container: 'hand-made', message: '{"not": "a record"}' });
    expect(eventOrigin('hand-made', '{broken', STACK)).toEqual({ container: 'hand-made', message: '{broken' });
  });
});
