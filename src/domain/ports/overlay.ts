/**
 * `base` with some of its methods replaced by `overrides`; every other property is `base`'s own
 * (methods bound to `base`, so a class instance keeps working). For decorating a port.
 */
export function overlay<T extends object>(base: T, overrides: Partial<T>): T {
  return new Proxy(base, {
    get(target, prop) {
      if (Object.prototype.hasOwnProperty.call(overrides, prop)) return overrides[prop as keyof T];
      const value: unknown = Reflect.get(target, prop);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
