export * from './free-port';
export * from './throwaway-postgres';
export * from './throwaway-redis';
export * from './throwaway-sentinel';
