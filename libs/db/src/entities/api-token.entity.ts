import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { TenantOwned } from '../tenancy/tenant-scope';

export type Role = 'admin' | 'trainer' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'trainer', 'viewer'];

@Entity({ tableName: 'api_tokens' })
@Index({ properties: ['tenantId', 'createdAt'] })
export class ApiToken extends TenantOwned {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  name!: string;

  @Enum({ items: () => [...ROLES], type: 'text' })
  role!: Role;

  /** sha256 of the secret; the secret itself is never stored. */
  @Property({ type: 'text', unique: true })
  tokenHash!: string;

  /** The first characters of the secret, so a user can tell tokens apart. */
  @Property({ type: 'text' })
  prefix!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  /** Updated at most once a minute per token, not per request. */
  @Property({ type: 'datetime', nullable: true })
  lastUsedAt: Date | null = null;

  /** After this the token no longer authenticates; null never expires. */
  @Property({ type: 'datetime', nullable: true })
  expiresAt: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  revokedAt: Date | null = null;
}
