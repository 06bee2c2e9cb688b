import { type Bindings, type ChildLoggerOptions, type Logger } from 'pino';

const noop = (): void => undefined;

/**
 * pino serializes and redacts a child logger's bindings when the child is made. pino-http makes
 * one child per request bound to the request (`{ req }`): with our ~100 redaction paths that is
 * most of the logging cost of a request (~0.2 ms of CPU, a quarter of a cached GET), paid even
 * when nothing is ever logged for it (LOG_LEVEL above info and no error).
 *
 * This makes such `{ req }` children lazily: the real child is made on first use (any log call at
 * an enabled level, or anything else asked of it) — same bindings, same serializers, same
 * redaction, same output — and a log call at a disabled level stays a no-op without making it.
 * Every other child is made at once, as pino does. Children of the returned logger inherit this.
 */
export function deferRequestChildren<L extends Logger>(logger: L, requestKey = 'req'): L {
  type MakeChild = (this: Logger, bindings: Bindings, options?: ChildLoggerOptions) => Logger;
  const makeChild = logger.child as unknown as MakeChild;
  function child(this: Logger, bindings: Bindings, options?: ChildLoggerOptions): Logger {
    if (options !== undefined || !isOnly(bindings, requestKey)) return makeChild.call(this, bindings, options);
    return lazyChild(this, () => makeChild.call(this, bindings));
  }
  // pino's children are Object.create(parent): they find this override on their prototype chain.
  Object.defineProperty(logger, 'child', { value: child, writable: true, configurable: true });
  return logger;
}

function isOnly(bindings: Bindings, key: string): boolean {
  let count = 0;
  for (const k in bindings) {
    if (k !== key) return false;
    count++;
  }
  return count === 1;
}

function lazyChild(parent: Logger, make: () => Logger): Logger {
  let real: Logger | undefined;
  const materialize = (): Logger => (real ??= make());
  return new Proxy(Object.create(null) as Logger, {
    get(_, prop) {
      if (
        real === undefined &&
        typeof prop === 'string' &&
        Object.hasOwn(parent.levels.values, prop) &&
        !parent.isLevelEnabled(prop)
      ) {
        return noop;
      }
      const target = materialize();
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
    set: (_, prop, value) => Reflect.set(materialize(), prop, value),
    has: (_, prop) => prop in materialize(),
  });
}
