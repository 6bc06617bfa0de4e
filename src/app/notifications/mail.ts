/**
 * E-mail: the SMTP transport built from the configuration (nodemailer; TLS, STARTTLS or plain;
 * optional authentication), and the Japanese messages the system sends — one notification, or
 * the daily digest. Plain text in UTF-8, short, the subject prefixed 【snsgov】, every message with
 * the full link to the page and to the person's notification settings.
 */
import nodemailer from "nodemailer";
import type { Config, SmtpConfig } from "../../config.ts";
import { formatDate, formatDateTime } from "../../domain/dates.ts";
import { isNotificationKind, kindInfo } from "./kinds.ts";

/** One message to one person. */
export type MailMessage = { to: string; subject: string; text: string };

/** Sends messages; rejects when the mail server does not accept one. */
export type Mailer = { send(message: MailMessage): Promise<void>; close(): void };

const SUBJECT_PREFIX = "【snsgov】";

/** An SMTP mailer for the configured server. */
export function smtpMailer(smtp: SmtpConfig): Mailer {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure === "tls",
    requireTLS: smtp.secure === "starttls",
    ignoreTLS: smtp.secure === "none",
    ...(smtp.auth ? { auth: { user: smtp.auth.user, pass: smtp.auth.password } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(message) {
      await transport.sendMail({
        from: smtp.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        headers: {
          // RFC 3834: sent by a program; Outlook: no out-of-office replies to it.
          "Auto-Submitted": "auto-generated",
          "X-Auto-Response-Suppress": "All",
        },
      });
    },
    close() {
      transport.close();
    },
  };
}

const mailers = new WeakMap<Config, Mailer>();

/** The mailer of a configuration (one per configuration), or undefined when e-mail is off. */
export function mailerFor(config: Config): Mailer | undefined {
  if (!config.smtp) return undefined;
  const existing = mailers.get(config);
  if (existing) return existing;
  const created = smtpMailer(config.smtp);
  mailers.set(config, created);
  return created;
}

/** What a message says about one notification. */
export type MailNotification = {
  kind: string;
  title: string;
  body: string;
  href: string;
  urgent: boolean;
  createdAt: Date;
};

function link(publicUrl: string, href: string): string {
  return `${publicUrl}${href === "" ? "/notifications" : href}`;
}

function footer(config: Pick<Config, "publicUrl" | "cityName">): string[] {
  return [
    "――",
    `このメールは${config.cityName}ソーシャルメディア運用管理システム（snsgov）から自動で送信しています。返信はできません。`,
    `メールの受け取り方の設定: ${config.publicUrl}/account/notifications`,
  ];
}

/** The e-mail for one notification. */
export function notificationMail(
  config: Pick<Config, "publicUrl" | "cityName">,
  recipient: { name: string; email: string },
  n: MailNotification,
): MailMessage {
  const lines = [`${recipient.name} 様`, "", n.urgent ? `【至急】${n.title}` : n.title, ""];
  if (n.body !== "") lines.push(n.body, "");
  lines.push("詳しくは次のページをご覧ください。", link(config.publicUrl, n.href), "", ...footer(config));
  return {
    to: recipient.email,
    subject: `${SUBJECT_PREFIX}${n.urgent ? "【至急】" : ""}${n.title}`,
    text: `${lines.join("\n")}\n`,
  };
}

/** The daily digest (08:00) of one person's notifications. */
export function digestMail(
  config: Pick<Config, "publicUrl" | "cityName">,
  recipient: { name: string; email: string },
  items: readonly MailNotification[],
  today: string,
): MailMessage {
  const lines = [
    `${recipient.name} 様`,
    "",
    `${formatDate(today)}の時点で、まだメールでお知らせしていない通知が${items.length}件あります。`,
    "",
  ];
  for (const n of items) {
    const kind = isNotificationKind(n.kind) ? kindInfo[n.kind].label : "お知らせ";
    lines.push(`■ ${n.title}`, `  ${kind}・${formatDateTime(n.createdAt)}`);
    const first = n.body.split("\n")[0] ?? "";
    if (first !== "") lines.push(`  ${first}`);
    lines.push(`  ${link(config.publicUrl, n.href)}`, "");
  }
  lines.push(`通知の一覧: ${config.publicUrl}/notifications`, "", ...footer(config));
  return {
    to: recipient.email,
    subject: `${SUBJECT_PREFIX}通知のまとめ（${formatDate(today)}・${items.length}件）`,
    text: `${lines.join("\n")}\n`,
  };
}
