export * from './migrations';
export * from './test-database';
