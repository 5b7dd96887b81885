import type { AlertConfig } from '../../contract';

export interface AlertEvent {
  kind: 'backup-failed' | 'run-missed' | 'drill-failed' | 'backup-stale';
  target: string;
  at: string;
  title: string;
  detail: string;
  host: string;
}

/**
 * Webhook bodies: plain JSON, and the two robot formats hospitals use. WeCom (企业微信) and
 * DingTalk (钉钉) group robots both take {msgtype:"markdown", ...}, with different fields.
 */
export function alertBody(format: AlertConfig['webhooks'][number]['format'], e: AlertEvent): unknown {
  const md = `**${e.title}**\n\n- 目标 target: ${e.target}\n- 主机 host: ${e.host}\n- 时间 time: ${e.at}\n\n${e.detail}`;
  switch (format) {
    case 'wecom':
      return { msgtype: 'markdown', markdown: { content: md } };
    case 'dingtalk':
      return { msgtype: 'markdown', markdown: { title: e.title, text: md } };
    default:
      return { source: 'medai-backup', ...e };
  }
}

/** Posts to every webhook; a failing webhook is reported back, never thrown (the run's outcome stands). */
export async function sendAlert(config: AlertConfig, e: AlertEvent, timeoutMs = 10_000): Promise<{ url: string; ok: boolean; status: number | null }[]> {
  return Promise.all(
    config.webhooks.map(async (w) => {
      try {
        const res = await fetch(w.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alertBody(w.format, e)), signal: AbortSignal.timeout(timeoutMs) });
        return { url: w.url, ok: res.ok, status: res.status };
      } catch {
        return { url: w.url, ok: false, status: null };
      }
    }),
  );
}
