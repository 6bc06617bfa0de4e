/**
 * The administrator's first-day checklist on the dashboard (app/setup-checklist.ts): each item
 * with whether it is done, what is in place or missing, why it matters, and where to do it.
 */
import type { FC } from "hono/jsx";
import type { SetupItem } from "../../app/setup-checklist.ts";
import { Badge, Csrf } from "./components.tsx";

export const SetupChecklist: FC<{ items: SetupItem[]; csrf: string }> = ({ items, csrf }) => {
  const left = items.filter((i) => !i.done).length;
  return (
    <section aria-labelledby="setup-title" class="notice notice-info">
      <h2 id="setup-title">初期設定（残り{left}件）</h2>
      <p>
        運用を始める前に済ませる設定です。どれも登録されている内容から判定しており、すべて済むとこの一覧は表示されなくなります。
      </p>
      <ol>
        {items.map((item) => (
          <li id={`setup-${item.id}`}>
            <p>
              <strong>{item.title}</strong>{" "}
              {item.done ? <Badge tone="ok">済み</Badge> : <Badge tone="warn">未完了</Badge>}
            </p>
            <p>{item.state}</p>
            {item.done ? null : <p>{item.why}</p>}
            {!item.done && item.command ? (
              <p>
                <code class="mono">{item.command}</code>
              </p>
            ) : null}
            {!item.done && item.link ? (
              <p>
                <a href={item.link.href}>{item.link.text}</a>
              </p>
            ) : null}
            {item.manual ? (
              <form method="post" action="/setup/backup-recorded">
                <Csrf token={csrf} />
                <button type="submit" class="secondary">
                  バックアップを取ったことを記録する
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
};
