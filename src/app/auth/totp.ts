/**
 * Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30 s) for two-factor sign-in.
 * A code is accepted once: the time step it matched must be later than the last one used.
 */
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";

const PERIOD = 30;

function totpFor(secretBase32: string, label: string, issuer: string): TOTP {
  return new TOTP({
    issuer,
    label,
    algorithm: "SHA1",
    digits: 6,
    period: PERIOD,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A new random secret (160 bits) in base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app reads, and the same as an SVG QR code. */
export async function enrolment(secretBase32: string, label: string, issuer: string) {
  const uri = totpFor(secretBase32, label, issuer).toString();
  const svg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return { uri, svg };
}

/**
 * Checks a code at instant `now`, allowing one step of clock drift either way.
 * @returns the matched time step, or null when the code is wrong or already used
 */
export function acceptTotp(
  secretBase32: string,
  code: string,
  now: Date,
  lastStep: number | null,
): number | null {
  const token = code.normalize("NFKC").replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const totp = totpFor(secretBase32, "snsgov", "snsgov");
  const delta = totp.validate({ token, timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  const step = Math.floor(now.getTime() / 1000 / PERIOD) + delta;
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}

/** The code for instant `at` (tests and the browser suite use it to sign in). */
export function totpCodeAt(secretBase32: string, at: Date): string {
  return totpFor(secretBase32, "snsgov", "snsgov").generate({ timestamp: at.getTime() });
}
