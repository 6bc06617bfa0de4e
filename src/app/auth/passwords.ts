/**
 * Password rules and hashing (OWASP ASVS v4 2.1 / v5 6.2): 8 to 128 characters, any characters,
 * no composition rules, not one of the 3,000 most common passwords, not built on a word of the
 * context (the city's or system's name, the person's name, login IDs or units: ASVS 6.1.2,
 * 6.2.11, rule in password-words.ts); argon2id with m=19456 KiB, t=2, p=1 (ASVS 11.4.2).
 * Passwords are never logged or stored in clear, and no message repeats them.
 */
import { readFileSync } from "node:fs";
import { hash, verify } from "@node-rs/argon2";
import { contextWordIn, type PasswordContext, type WordKind } from "./password-words.ts";

export type { PasswordContext } from "./password-words.ts";

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

/** What the refused word was, in the words of the message. */
const kindLabels: Record<WordKind, string> = {
  login: "ログインID（職員番号など）",
  email: "メールアドレス",
  name: "ご自身の氏名やその読み",
  unit: "所属（部・課）の名前",
  city: "市の名前",
  system: "システム名",
  platform: "SNSのサービス名",
};

/** The message for a password built on a context word: names the kind, never the word or password. */
export function contextWordMessage(kind: WordKind): string {
  return `${kindLabels[kind]}をもとにしたパスワードは、推測されやすいため使えません。関係のない言葉を組み合わせた、長めのパスワードにしてください。`;
}

/**
 * Returns a Japanese explanation of why `password` is not acceptable, or null when it is.
 * Length counts Unicode code points, so 8 kanji are 8 characters. `context` holds the words of
 * the person and installation (password-words.ts); the callers gather it.
 */
export function passwordProblem(password: string, context: PasswordContext = {}): string | null {
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
  const kind = contextWordIn(password, context);
  return kind ? contextWordMessage(kind) : null;
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
