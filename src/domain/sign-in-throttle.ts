/**
 * How sign-in attempts from one network address are slowed down. An address is never locked:
 * behind a reverse proxy or an office NAT many people share one, and a person who types their own
 * correct password must always get in. Past a number of failures in the window, each further
 * attempt from the address waits first, twice as long each time, up to a few seconds.
 */

/** Failed sign-ins from one address in the window before its attempts start to wait. */
export const ADDRESS_SLOWDOWN_AFTER = 20;
/** The first wait, doubled for every further failure. */
const FIRST_WAIT_MS = 250;
/** The longest wait. */
export const ADDRESS_MAX_WAIT_MS = 4_000;

/**
 * Milliseconds an attempt from an address waits before its password is checked, given the
 * address's failed sign-ins in the current window.
 */
export function addressWaitMs(failures: number): number {
  if (failures < ADDRESS_SLOWDOWN_AFTER) return 0;
  const doublings = Math.min(failures - ADDRESS_SLOWDOWN_AFTER, 16);
  return Math.min(ADDRESS_MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** doublings);
}
