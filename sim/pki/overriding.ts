/**
 * A view of `target` with some members replaced (a `Crypto` whose `subtle` is another view, a
 * `SubtleCrypto` with some operations done differently). Other methods are bound to the target:
 * WebCrypto's methods throw when called on anything but the real object.
 */
export function overriding<T extends object>(target: T, members: Readonly<Record<string, unknown>>): T {
  return new Proxy(target, {
    get: (t, prop) => {
      if (typeof prop === 'string' && Object.hasOwn(members, prop)) return members[prop];
      const v = Reflect.get(t, prop, t) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
}
