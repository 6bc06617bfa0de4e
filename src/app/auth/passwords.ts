/**
 * Password rules and hashing (OWASP ASVS v4 2.1 / v5 6.2): 8 to 128 characters, any characters,
 * no composition rules, not one of the 3,000 most common passwords; argon2id with m=19456 KiB,
 * t=2, p=1 (ASVS 11.4.2). Passwords are never logged or stored in clear.
 */
import { readFileSync } from "node:fs";
import { hash, verify } from "@node-rs/argon2";

const argon2Options = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

let common: Set<string> | undefined;

/** The shipped list of common passwords (data/common-passwords.txt, licence beside it). */
function commonPasswords(): Set<string> {
  if (!common) {
    const text = readFileSync(new URL("./data/common-passwords.txt", import.meta.url), "utf8");
    common = new Set(text.split("\n").filter((line) => line.length > 0));
  }
  return common;
}

/**
 * Returns a Japanese explanation of why `password` is not acceptable, or null when it is.
 * Length counts Unicode code points, so 8 kanji are 8 characters.
 */
export function passwordProblem(
  password: string,
  context: { login?: string; name?: string } = {},
): string | null {
  const length = [...password].length;
  if (length < 8) return "パスワードは8文字以上にしてください。";
  if (length > 128) return "パスワードは128文字以内にしてください。";
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower) || commonPasswords().has(password)) {
    return "このパスワードはよく使われていて推測されやすいため、使えません。別のパスワードにしてください。";
  }
  if (context.login && lower === context.login.toLowerCase()) {
    return "ログインIDと同じパスワードは使えません。";
  }
  return null;
}

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, argon2Options);
}

/** A hash of a random string, verified against when the login name is unknown (equal timing). */
let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against a stored hash. With no stored hash it still spends the same time,
 * so response time does not reveal whether an account exists.
 */
export async function verifyPassword(stored: string | null | undefined, password: string): Promise<boolean> {
  if (!stored) {
    dummyHash ??= hashPassword("snsgov-dummy-password-for-timing");
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
