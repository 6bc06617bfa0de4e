/**
 * A short, readable name for a browser's User-Agent header, for the list of one's signed-in
 * devices (ASVS 7.5.2): 「Chrome（Windows）」. Only a hint for the person: the header is whatever
 * the browser sent, so the raw string is always shown beside it.
 */

const browsers: readonly (readonly [RegExp, string])[] = [
  [/\bEdg(?:e|A|iOS)?\//, "Edge"],
  [/\bOPR\/|\bOpera\b/, "Opera"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\bFirefox\/|\bFxiOS\//, "Firefox"],
  [/\b(?:Headless)?Chrome\/|\bCriOS\/|\bChromium\//, "Chrome"],
  [/\bSafari\//, "Safari"],
  [/\bcurl\//, "curl"],
];

const systems: readonly (readonly [RegExp, string])[] = [
  [/\biPhone\b/, "iPhone"],
  [/\biPad\b/, "iPad"],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bWindows\b/, "Windows"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b/, "Linux"],
];

const first = (ua: string, table: readonly (readonly [RegExp, string])[]) =>
  table.find(([pattern]) => pattern.test(ua))?.[1];

/** 「ブラウザ（OS）」, or what is known of it; 「不明な端末」 when the header says nothing known. */
export function describeUserAgent(userAgent: string): string {
  const browser = first(userAgent, browsers);
  const system = first(userAgent, systems);
  if (browser && system) return `${browser}（${system}）`;
  return browser ?? system ?? "不明な端末";
}
