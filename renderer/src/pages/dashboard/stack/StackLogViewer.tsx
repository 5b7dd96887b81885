import { Flex, Input, Select, Switch, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../../api/api-context';
import type { StackLogs } from '../../../contract';

const MAX_LINES = 1000;

/** The stack's logs with a service choice, a text filter, and follow (new lines every 2 s). */
export function StackLogViewer({ stack, services }: { stack: string; services: string[] }) {
  const { t } = useTranslation('stack');
  const api = useApi();
  const [service, setService] = useState<string>('');
  const [filter, setFilter] = useState('');
  const [follow, setFollow] = useState(false);
  const [lines, setLines] = useState<StackLogs['lines']>([]);
  const box = useRef<HTMLPreElement>(null);

  useEffect(() => {
    let live = true;
    let since: number | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fetchMore = async () => {
      const answer = await api.call('stack.logs', { stack, tail: 200, ...(service ? { service } : {}), ...(filter ? { filter } : {}), ...(since !== undefined ? { since } : {}) });
      if (!live || !answer.ok) return;
      const first = since === undefined;
      since = answer.result.until;
      const fresh = answer.result.lines;
      // A new choice of service or filter starts over; following appends.
      setLines((old) => (first ? fresh : [...old, ...fresh]).slice(-MAX_LINES));
      if (follow) timer = setTimeout(() => void fetchMore(), 2000);
    };
    void fetchMore();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, stack, service, filter, follow]);

  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines, follow]);

  return (
    <Flex vertical gap={8} data-testid="stack-logs">
      <Flex gap={12} align="center" wrap>
        <Typography.Text strong>{t('dashboard.logs')}</Typography.Text>
        <Select
          value={service}
          onChange={setService}
          style={{ minWidth: 200 }}
          data-testid="stack-logs-service"
          options={[{ value: '', label: t('dashboard.allServices') }, ...services.map((s) => ({ value: s, label: s }))]}
        />
        <Input.Search placeholder={t('dashboard.filter')} allowClear onSearch={setFilter} style={{ width: 240 }} data-testid="stack-logs-filter" />
        <Flex gap={6} align="center">
          <Switch checked={follow} onChange={setFollow} data-testid="stack-logs-follow" />
          <Typography.Text>{t('dashboard.follow')}</Typography.Text>
        </Flex>
      </Flex>
      <pre ref={box} data-testid="stack-logs-lines" style={{ maxHeight: 320, overflow: 'auto', background: '#111', color: '#ddd', padding: 8, fontSize: 12, margin: 0 }}>
        {lines.map((l) => `${l.service} | ${l.text}`).join('\n')}
      </pre>
    </Flex>
  );
}
