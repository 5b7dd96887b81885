import { Typography, theme } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/** A streaming log: follows new lines while the reader is at the bottom, stays put when they scroll up. */
export function LogPanel({ lines, dropped }: { lines: string[]; dropped: number }) {
  const { t } = useTranslation('progress');
  const { token } = theme.useToken();
  const box = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);

  useEffect(() => {
    const el = box.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [lines]);

  return (
    <div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('log')}
        {dropped > 0 ? ` · ${t('logTruncated', { count: lines.length })}` : ''}
      </Typography.Text>
      <div
        ref={box}
        data-testid="progress-log"
        role="log"
        aria-live="polite"
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
        style={{
          marginTop: 4,
          height: 180,
          overflowY: 'auto',
          background: '#0f172a',
          color: '#e2e8f0',
          borderRadius: token.borderRadius,
          padding: '8px 12px',
          fontFamily: "ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'Noto Sans Mono CJK SC', monospace",
          fontSize: 12,
          lineHeight: 1.6,
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-all',
        }}
      >
        {lines.length === 0 ? <span style={{ opacity: 0.6 }}>{t('logEmpty')}</span> : lines.map((line, i) => <div key={dropped + i}>{line}</div>)}
      </div>
    </div>
  );
}
