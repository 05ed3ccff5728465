/**
 * Every method of every client goes through a CallPacer: it waits for the pacer before the
 * call and tells it whether AWS throttled the call. Retrying stays where it is (retry.ts); this
 * only spaces the calls out, for every deploy sharing the clients.
 */
import { isThrottling, type AwsClients } from './api.js';
import type { CallPacer } from './pacer.js';

type AnyMethod = (...args: unknown[]) => Promise<unknown>;

export function pacedClients(clients: AwsClients, pacer: CallPacer): AwsClients {
  const services = new Map<PropertyKey, unknown>();
  return new Proxy(clients, {
    get(target, service, receiver) {
      const client: unknown = Reflect.get(target, service, receiver);
      if (typeof service !== 'string' || client === null || typeof client !== 'object') return client;
      if (!services.has(service)) services.set(service, pacedClient(service, client, pacer));
      return services.get(service);
    },
  });
}

/** Methods are looked up on the client itself (prototype included), so fakes written as classes keep working. */
function pacedClient(service: string, client: object, pacer: CallPacer): object {
  const methods = new Map<PropertyKey, { member: unknown; paced: AnyMethod }>();
  return new Proxy(client, {
    get(target, name, receiver) {
      const member: unknown = Reflect.get(target, name, receiver);
      if (typeof name !== 'string' || typeof member !== 'function') return member;
      let paced = methods.get(name)?.member === member ? methods.get(name)!.paced : undefined;
      if (!paced) {
        const api = `${service}.${name}`;
        const method = (member as AnyMethod).bind(target);
        paced = async (...args: unknown[]) => {
          await pacer.take(api);
          try {
            const result = await method(...args);
            pacer.settle(api, false);
            return result;
          } catch (err) {
            pacer.settle(api, isThrottling(err));
            throw err;
          }
        };
        methods.set(name, { member, paced });
      }
      return paced;
    },
  });
}
