import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, buildConnector } from 'undici';
import type { NetworkPolicy } from './network-policy';

/** A connection refused by the network policy: the workflow asked for a destination it may not reach. */
export class BlockedDestinationError extends Error {
  readonly code = 'BLOCKED_DESTINATION';
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * An HTTP dispatcher whose every connection (the first request and each redirect) is checked
 * against the policy after name resolution, so a name that resolves to a blocked address, or is
 * re-pointed there after a check (DNS rebinding), is refused at connect time.
 */
export function guardedDispatcher(policy: NetworkPolicy, connectTimeoutMs: number): Agent {
  const lookup = (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses;
      for (const { address } of list) {
        const refusal = policy.refusal(address);
        if (refusal) return callback(new BlockedDestinationError(`${hostname} resolves to ${refusal}`), []);
      }
      if ((options as LookupAllOptions).all === true) return callback(null, list);
      const first = list[0];
      if (!first) return callback(new BlockedDestinationError(`${hostname} has no address`), []);
      return callback(null, first.address, first.family);
    });
  };
  const connect = buildConnector({ timeout: connectTimeoutMs, lookup });
  return new Agent({
    connect: (options, callback) => {
      // Addresses written in the URL never reach `lookup`.
      const host = options.hostname.replace(/^\[|\]$/g, '');
      if (isIP(host) !== 0) {
        const refusal = policy.refusal(host);
        if (refusal) return callback(new BlockedDestinationError(refusal), null);
      }
      return connect(options, callback);
    },
  });
}
