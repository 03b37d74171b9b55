import { Entity, ManyToOne, type Dictionary, type EntityManager } from '@mikro-orm/core';
import { Tenant } from '../entities/tenant.entity';

/**
 * Tenant scope, in one place. Every entity a tenant owns extends TenantOwned (ModelAlias, whose tenant is part of
 * its key, is listed by hand). An API request's EntityManager carries the caller's tenant as the parameter of the
 * `tenant` filter, which the ORM adds to every find, count, update and delete of an owned entity; a query without
 * the parameter fails instead of reading across tenants. Raw SQL cannot be filtered, so it goes through tenantSql,
 * which will not run a statement that does not bind the tenant.
 */
@Entity({ abstract: true })
export abstract class TenantOwned {
  /** The owning tenant's id (a foreign key to tenants; the value, not an entity). */
  @ManyToOne(() => Tenant, { mapToPk: true, fieldName: 'tenant_id', updateRule: 'no action', deleteRule: 'no action' })
  tenantId!: string;
}

export const TENANT_FILTER = 'tenant';

export interface TenantParams {
  tenantId: string;
}

/** Find options for the few reads that must cross tenants (a token by its hash, the reconciler's sweep). */
export const UNSCOPED = { filters: { [TENANT_FILTER]: false } } as const;

/** The ORM filter for `entities` (the API's ORM config adds it; processes that act for every tenant do not). */
export function tenantFilter(entities: string[]): { name: string; entity: string[]; default: boolean; cond: (args: Dictionary) => Dictionary } {
  return {
    name: TENANT_FILTER,
    entity: entities,
    default: true,
    cond: (args) => ({ tenantId: (args as TenantParams).tenantId }),
  };
}

/** Scopes `em` (an API request's context) to one tenant. */
export function scopeToTenant(em: EntityManager, tenantId: string): void {
  em.setFilterParams(TENANT_FILTER, { tenantId } satisfies TenantParams);
}

/** The tenant `em` is scoped to; throws when it is not, so nothing can run unscoped by accident. */
export function currentTenant(em: EntityManager): string {
  const params = em.getFilterParams<Partial<TenantParams>>(TENANT_FILTER);
  if (!params?.tenantId) throw new Error('no tenant scope on this EntityManager');
  return params.tenantId;
}

/** Marks where the tenant id is bound in a tenantSql statement. */
export const TENANT = Symbol('tenant');

/** A trusted piece of SQL (identifiers and keywords chosen by code, never by a request) with its own bound values. */
export class SqlFragment {
  constructor(
    readonly text: string,
    readonly params: readonly unknown[] = [],
  ) {}
}

export const sqlFragment = (text: string, params: readonly unknown[] = []) => new SqlFragment(text, params);

/**
 * Raw SQL for one tenant, as a tagged template: values become bound parameters, `${TENANT}` binds the scope's tenant,
 * and a statement that never binds it is refused. Rows come back typed as `T`.
 *
 *   tenantSql(em)<{ n: number }>`select count(*)::int as n from training_jobs where tenant_id = ${TENANT}`
 */
export function tenantSql(em: EntityManager) {
  const tenantId = currentTenant(em);
  return async <T>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T[]> => {
    let text = strings[0];
    const params: unknown[] = [];
    let bindsTenant = false;
    const bind = (value: unknown) => {
      if (value === TENANT) bindsTenant = true;
      params.push(value === TENANT ? tenantId : value);
    };
    values.forEach((value, i) => {
      if (value instanceof SqlFragment) {
        text += value.text;
        value.params.forEach(bind);
      } else if (Array.isArray(value)) {
        text += value.map(() => '?').join(', ');
        value.forEach(bind);
      } else {
        text += '?';
        bind(value);
      }
      text += strings[i + 1];
    });
    if (!bindsTenant) throw new Error('tenantSql: the statement does not bind ${TENANT}');
    return em.getConnection().execute<T[]>(text, params);
  };
}
