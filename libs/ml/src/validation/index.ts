export * from './cv-splits';
