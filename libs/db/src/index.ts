export * from './entities';
export * from './orm-config';
export * from './migrate';
export * from './stores';
export * from './crypto/secret-box';
export * from './tenancy/tenant-scope';
