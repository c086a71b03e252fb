import { timingSafeEqual } from 'node:crypto';
import { EarshotError } from '../domain/errors.js';

/**
 * Maps API keys to tenants. With no keys configured, authentication is off and every caller is
 * the `default` tenant (the server refuses to listen beyond loopback in that case unless told to).
 */
export class ApiKeyAuth {
  private readonly keys: [Buffer, string][];

  constructor(keys: ReadonlyMap<string, string>) {
    this.keys = [...keys].map(([key, tenant]) => [Buffer.from(key), tenant]);
  }

  get enabled(): boolean {
    return this.keys.length > 0;
  }

  /** The tenant for a presented key; throws `unauthorized` when it matches none. */
  tenantFor(presented: string | undefined): string {
    if (!this.enabled) return 'default';
    if (!presented) throw new EarshotError('unauthorized', 'Authentication error: API key missing');
    const candidate = Buffer.from(presented);
    // Compare against every key in constant time, so timing does not reveal a key's prefix.
    let tenant: string | undefined;
    for (const [key, keyTenant] of this.keys) {
      if (key.length === candidate.length && timingSafeEqual(key, candidate)) tenant = keyTenant;
    }
    if (tenant === undefined) throw new EarshotError('unauthorized', 'Authentication error: invalid API key');
    return tenant;
  }
}

/** `Bearer abc` → `abc`; a raw key is returned as it is (AssemblyAI sends the raw key). */
export function keyFromAuthorization(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return (match ? (match[1] ?? '') : header).trim() || undefined;
}
