/**
 * Errors are values with stable codes, returned in a Result and never thrown across the engine's
 * boundary (DESIGN.md "Habits"). Codes are `'<area>/<reason>'` in kebab case; the message is the
 * human (often upstream-worded) text; `cause` links a chain back towards configuration.
 */
export type ErrorCode = `${string}/${string}`;

export interface SimError<C extends ErrorCode = ErrorCode> {
  readonly code: C;
  readonly message: string;
  readonly detail?: Readonly<Record<string, unknown>>;
  readonly cause?: SimError;
}

export type Ok<T> = { readonly ok: true; readonly value: T };
export type Err<E> = { readonly ok: false; readonly error: E };
export type Result<T, E = SimError> = Ok<T> | Err<E>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = <E>(error: E): Err<E> => ({ ok: false, error });

export function simError<C extends ErrorCode>(
  code: C,
  message: string,
  detail?: Record<string, unknown>,
  cause?: SimError,
): SimError<C> {
  const e: { code: C; message: string; detail?: Record<string, unknown>; cause?: SimError } = { code, message };
  if (detail !== undefined) e.detail = detail;
  if (cause !== undefined) e.cause = cause;
  return e;
}

/** Returns the value or throws: for literals in tests and scenarios only (go-spiffe `require*`). */
export function unwrap<T, E extends { message: string }>(r: Result<T, E>): T {
  if (r.ok) return r.value;
  throw new Error(r.error.message);
}

/** Maps the error of a failed result, keeping the value of a successful one. */
export function mapErr<T, E, F>(r: Result<T, E>, f: (e: E) => F): Result<T, F> {
  return r.ok ? r : err(f(r.error));
}
