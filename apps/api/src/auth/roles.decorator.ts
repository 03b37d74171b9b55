import { SetMetadata } from '@nestjs/common';
import type { Role } from '@trainyard/db';

export const MIN_ROLE_KEY = 'trainyard:minRole';
export const PUBLIC_KEY = 'trainyard:public';

const RANK: Record<Role, number> = { viewer: 1, trainer: 2, admin: 3 };

/** The least role that may call a handler; admin ⊃ trainer ⊃ viewer. */
export const MinRole = (role: Role) => SetMetadata(MIN_ROLE_KEY, role);

/** A handler outside /v1 that needs no token (health, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export function roleAllows(held: Role, needed: Role): boolean {
  return RANK[held] >= RANK[needed];
}
